package io.drydock.shell.groovy;

import groovy.lang.Closure;
import io.drydock.kernel.clock.Durations;
import org.codehaus.groovy.ast.ClassCodeExpressionTransformer;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.GStringExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Durations inside string interpolation read as people write them: {@code "waited ${5.s}"} is
 * {@code "waited 5 s"}, not ISO-8601's {@code "waited PT5S"}. A GString renders its values with their Java
 * {@code toString()} (java.time.Duration is final, so neither a subclass nor a meta-class method can
 * change that), so this customizer passes every value of every GString in a script through
 * {@link #text(Object)}, lazy ones ({@code ${-> d}}) too; other values are left as they are. Println and the REPL's echo of a value do the same ({@link DrydockScript},
 * {@code Session.render}); {@code "x " + d} is the units module's {@code plus(String, Duration)}.
 */
public final class DurationText extends CompilationCustomizer {
    private static final ClassNode SELF = ClassHelper.make(DurationText.class);

    DurationText() {
        super(CompilePhase.CONVERSION);
    }

    /**
     * A duration as people write it ("5 s"); a lazy GString value ({@code ${-> d}}, a closure without
     * parameters) made to do the same when the string is rendered; any other value unchanged. Called by
     * compiled scripts.
     */
    public static Object text(Object value) {
        return switch (value) {
            case Duration d -> Durations.format(d);
            case Closure<?> c when c.getMaximumNumberOfParameters() == 0 -> new Lazy(c);
            case null, default -> value;
        };
    }

    /** {@code ${-> d}}: calls the closure each time the GString is rendered, as Groovy does. */
    private static final class Lazy extends Closure<Object> {
        private final Closure<?> value;

        Lazy(Closure<?> value) {
            super(value.getOwner(), value.getThisObject());
            this.value = value;
            this.maximumNumberOfParameters = 0;
            this.parameterTypes = new Class<?>[0];
        }

        public Object doCall() { return text(value.call()); }
    }

    @Override public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        new ClassCodeExpressionTransformer() {
            @Override protected SourceUnit getSourceUnit() { return source; }

            @Override public Expression transform(Expression e) {
                if (e instanceof GStringExpression g) {
                    List<Expression> values = new ArrayList<>();
                    for (Expression v : g.getValues()) {
                        Expression t = transform(v);
                        if (!(t instanceof ConstantExpression)) {
                            StaticMethodCallExpression call = new StaticMethodCallExpression(SELF, "text", new ArgumentListExpression(t));
                            call.setSourcePosition(t);
                            t = call;
                        }
                        values.add(t);
                    }
                    GStringExpression out = new GStringExpression(g.getText(), g.getStrings(), values);
                    out.setSourcePosition(g);
                    return out;
                }
                if (e instanceof ClosureExpression c) {
                    // a closure's body is a statement: visit it so GStrings inside closures are covered
                    c.getCode().visit(this);
                    return c;
                }
                return super.transform(e);
            }
        }.visitClass(classNode);
    }
}
