package io.drydock.riscv;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.memory.Sizes;
import io.drydock.riscv.virt.VirtBoard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code scripts/run}: boots a bare ELF on the virt board headless, the UART on stdin/stdout, and exits
 * with the guest's exit code (sifive_test), like {@code qemu-system-riscv64 -M virt -bios none -kernel}.
 * Prints guest instructions and MIPS to stderr with {@code --stats}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Boot a RISC-V ELF on Drydock's virt board (headless; UART on stdin/stdout; exit code = guest's).")
public final class RunMain implements Callable<Integer> {
    @Option(names = "--kernel", required = true, description = "the ELF to load (PT_LOAD segments at their physical addresses)")
    Path kernel;

    @Option(names = "--memory", defaultValue = "128M", description = "guest RAM, e.g. 256M, 1G (default: ${DEFAULT-VALUE})")
    String memory;

    @Option(names = "--harts", defaultValue = "1", description = "number of harts (default: ${DEFAULT-VALUE})")
    int harts;

    @Option(names = "--append", defaultValue = "", description = "kernel command line (chosen/bootargs)")
    String append;

    @Option(names = "--timeout", defaultValue = "0", description = "seconds before giving up with exit code 124 (0: none)")
    long timeoutSeconds;

    @Option(names = "--stats", description = "print instructions retired, seconds and MIPS to stderr at exit")
    boolean stats;

    @Override public Integer call() {
        MachineSpec spec = new MachineSpec().name("riscv").memory(Sizes.parse(memory)).kernel(kernel).bootargs(append);
        spec.add(new VirtBoard(harts));
        try (Machine m = spec.build()) {
            m.console().bridge(System.in, System.out);
            long t0 = System.nanoTime();
            int code;
            try {
                code = m.run(timeoutSeconds > 0 ? Duration.ofSeconds(timeoutSeconds) : Duration.ofDays(365));
            } catch (MachineException e) {
                System.out.flush();
                System.err.println("drydock: " + e.getMessage());
                code = m.failure() == null ? 124 : 1;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            m.stop(); // join the hart threads so their retired counts are final
            System.out.flush();
            if (stats) {
                long n = m.instructionsRetired();
                System.err.printf("drydock: %,d instructions in %.3f s = %.1f MIPS%n", n, secs, n / secs / 1e6);
            }
            return code;
        }
    }

    public static void main(String[] args) {
        int code = new CommandLine(new RunMain()).execute(args);
        System.out.flush();
        Runtime.getRuntime().halt(code); // the console's stdin reader is blocked in read(); do not wait for it
    }
}
