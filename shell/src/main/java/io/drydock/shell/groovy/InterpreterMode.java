package io.drydock.shell.groovy;

import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.ImportNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.CastExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.EmptyExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.Token;
import org.codehaus.groovy.syntax.Types;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Makes a sequence of separately compiled scripts behave like one program, as groovysh's interpreter mode
 * does. In plain {@code GroovyShell} each evaluation is its own script class, so {@code def x = 5} and
 * {@code def f() {...}} vanish when it ends; only undeclared assignments ({@code x = 5}) reach the binding.
 * This customizer rewrites, before names are resolved (phase CONVERSION):
 * <ul>
 *   <li>top-level declarations {@code def x = e}, {@code int x = e}, {@code def (a, b) = e} into binding
 *       assignments {@code x = e}, {@code x = (int) e}, {@code (a, b) = e} (declarations inside blocks,
 *       closures and methods stay local, as they should);</li>
 *   <li>top-level methods {@code def f(n) { body }} into binding closures {@code f = { n -> body }},
 *       assigned before the first statement so a script may call a method defined below the call;
 *       methods with annotations stay methods (an AST transform may depend on them);</li>
 *   <li>and it reports the chunk's imports, which the engine keeps for later chunks once it ran.</li>
 * </ul>
 * Declarations with annotations ({@code @Field}) are left alone.
 */
final class InterpreterMode extends CompilationCustomizer {
    private final Consumer<ImportNode> importSink;

    InterpreterMode(Consumer<ImportNode> importSink) {
        super(CompilePhase.CONVERSION);
        this.importSink = importSink;
    }

    @Override public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.isScript()) return;
        ModuleNode module = source.getAST();
        module.getImports().forEach(importSink);
        module.getStarImports().forEach(importSink);
        module.getStaticImports().values().forEach(importSink);
        module.getStaticStarImports().values().forEach(importSink);

        MethodNode run = classNode.getMethod("run", org.codehaus.groovy.ast.Parameter.EMPTY_ARRAY);
        if (run == null || !(run.getCode() instanceof BlockStatement block)) return;
        boolean noStatements = block.getStatements().isEmpty();
        List<Statement> statements = block.getStatements();
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i) instanceof ExpressionStatement es && es.getExpression() instanceof DeclarationExpression d
                    && d.getAnnotations().isEmpty()) {
                ExpressionStatement replaced = new ExpressionStatement(toAssignment(d));
                replaced.setSourcePosition(es);
                replaced.copyStatementLabels(es);
                statements.set(i, replaced);
            }
        }
        List<Statement> methods = new ArrayList<>();
        for (MethodNode m : List.copyOf(classNode.getMethods())) {
            if (m == run || m.getName().equals("main") || m.isSynthetic() || m.isAbstract()
                    || !m.getAnnotations().isEmpty() || m.getDeclaringClass() != classNode || m.getCode() == null) {
                continue;
            }
            ClosureExpression closure = new ClosureExpression(m.getParameters(), m.getCode());
            closure.setSourcePosition(m);
            BinaryExpression assign = assign(new VariableExpression(m.getName()), closure, m.getLineNumber(), m.getColumnNumber());
            assign.setSourcePosition(m);
            ExpressionStatement st = new ExpressionStatement(assign);
            st.setSourcePosition(m);
            methods.add(st);
            classNode.removeMethod(m);
        }
        statements.addAll(0, methods);
        // A chunk of only method definitions evaluates to nothing, not to its last closure.
        if (noStatements && !methods.isEmpty()) statements.add(new ExpressionStatement(ConstantExpression.NULL));
    }

    private static Expression toAssignment(DeclarationExpression d) {
        Expression right = d.getRightExpression();
        if (d.isMultipleAssignmentDeclaration()) {
            TupleExpression names = new TupleExpression();
            for (Expression e : d.getTupleExpression().getExpressions()) {
                names.addExpression(new VariableExpression(((VariableExpression) e).getName()));
            }
            names.setSourcePosition(d.getTupleExpression());
            BinaryExpression b = assign(names, right, d.getLineNumber(), d.getColumnNumber());
            b.setSourcePosition(d);
            return b;
        }
        VariableExpression v = d.getVariableExpression();
        ClassNode type = v.getOriginType();
        if (right instanceof EmptyExpression) {
            right = ClassHelper.isPrimitiveType(type) ? defaultValue(type) : ConstantExpression.NULL;
        } else if (type != null && !v.isDynamicTyped() && !ClassHelper.isObjectType(type)) {
            CastExpression cast = new CastExpression(type, right);
            cast.setSourcePosition(right);
            right = cast;
        }
        VariableExpression target = new VariableExpression(v.getName());
        target.setSourcePosition(v);
        BinaryExpression b = assign(target, right, d.getLineNumber(), d.getColumnNumber());
        b.setSourcePosition(d);
        return b;
    }

    private static BinaryExpression assign(Expression left, Expression right, int line, int column) {
        return new BinaryExpression(left, Token.newSymbol(Types.ASSIGN, line, column), right);
    }

    private static Expression defaultValue(ClassNode primitive) {
        if (ClassHelper.isPrimitiveBoolean(primitive)) return ConstantExpression.PRIM_FALSE;
        return new CastExpression(primitive, new ConstantExpression(0));
    }
}
