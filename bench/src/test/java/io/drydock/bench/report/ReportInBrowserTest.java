package io.drydock.bench.report;

import io.drydock.bench.run.BenchResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The HTML report as a browser shows it: Debian's headless {@code chromium} loads report.html, takes a
 * screenshot (kept in target/report-in-browser/ to look at) and, on a copy with a probe script, reports
 * what it rendered (key=value pairs separated by ';') — the tables with their rows, and the chart images decoded with a size. Without
 * chromium the test is skipped and says so, except under CI (CI set), where .ci/run installs it.
 */
class ReportInBrowserTest {
    private static final Path OUT = Path.of("target", "report-in-browser");

    @Test
    void chromiumRendersTheTablesAndTheChartsOfAReport() throws Exception {
        String chromium = chromium();
        if (chromium == null) {
            assertNull(System.getenv("CI"), "CI installs chromium (.ci/run PACKAGES), but it is not on the PATH");
            Assumptions.abort("chromium is not installed (Debian package chromium): the report was not checked in a browser");
        }
        Files.createDirectories(OUT);
        Path dir = Files.createTempDirectory(OUT, "bench-");
        BenchResult r = Fixtures.manyVariants("twelve variants", 12, 5_000_000);
        BenchResult written = BenchOutput.write(r, dir, List.of(Charts.WALL, "guest.instructions"),
                name -> Integer.parseInt(name.substring(1)) < 6 ? "fuse" : "dax");
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mode", "mode " + i);
            row.put("MB/s", 100.0 * (i + 1));
            row.put("FUSE/MiB", 0.5 * i);
            rows.add(row);
        }
        BenchOutput.writeReport(written.withTable(ReportTable.of("per MiB", null, rows, "means over 3 runs")),
                BenchOutput.chartsIn(dir, List.of(Charts.WALL, "guest.instructions")));
        Path html = dir.resolve("report.html");

        Path shot = OUT.resolve("report.png");
        Files.deleteIfExists(shot);
        run(chromium, dir, "--window-size=1200,2600", "--screenshot=" + shot.toAbsolutePath(), html.toUri().toString());
        BufferedImage image = ImageIO.read(shot.toFile());
        assertNotNull(image, "chromium wrote no screenshot");
        assertEquals(1200, image.getWidth());
        assertTrue(inkFraction(image) > 0.03, "the screenshot is nearly blank: " + inkFraction(image));

        String page = Files.readString(html);
        Path probe = dir.resolve("probe.html");
        Files.writeString(probe, page.replace("</body>", PROBE + "</body>"));
        String dom = run(chromium, dir, "--virtual-time-budget=10000", "--dump-dom", probe.toUri().toString());
        Matcher m = Pattern.compile("<pre id=\"probe\">([^<]*)</pre>").matcher(dom);
        assertTrue(m.find(), "the probe did not run:\n" + dom.substring(0, Math.min(dom.length(), 2000)));
        Map<String, String> seen = new LinkedHashMap<>();
        for (String kv : m.group(1).trim().split(";")) seen.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        assertEquals("environment,wall time,metrics,per MiB", seen.get("captions"), seen.toString());
        assertEquals("5,12,12,4", seen.get("bodyRows"), "rows per table: environment, 12 variants (wall time, metrics), 4 script rows");
        assertEquals("2", seen.get("images"), seen.toString());
        for (String size : seen.get("imageSizes").split(",")) {
            assertTrue(size.matches("900x\\d{3,4}"), "each chart decoded at its size (900 wide): " + seen);
        }
        assertEquals("0", seen.get("pre"), "no preformatted tables");
    }

    /** Appended to a copy of the page: what chromium rendered, as key=value pairs (';' between) in a <pre>. */
    private static final String PROBE = """
            <script>
            window.addEventListener('load', () => {
              const t = [...document.querySelectorAll('table')];
              const imgs = [...document.images];
              const p = document.createElement('pre'); p.id = 'probe';
              p.textContent = 'captions=' + t.map(x => x.caption ? x.caption.textContent : '').join(',')
                + ';bodyRows=' + t.map(x => x.tBodies[0].rows.length).join(',')
                + ';images=' + imgs.length
                + ';imageSizes=' + imgs.map(i => i.complete ? i.naturalWidth + 'x' + i.naturalHeight : 'broken').join(',')
                + ';pre=' + (document.querySelectorAll('pre').length - 0);
              document.body.appendChild(p);
            });
            </script>
            """;

    /** Headless chromium with a throw-away profile; returns its standard output. */
    private static String run(String chromium, Path dir, String... args) throws Exception {
        Path profile = Files.createTempDirectory(dir, "profile-");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.log").toFile()).start();
        p.getOutputStream().close();
        var out = new java.io.ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try { p.getInputStream().transferTo(out); } catch (java.io.IOException ignored) { /* process gone */ }
        });
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("chromium did not finish in 90 s: " + cmd);
        }
        reader.join();
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(dir.resolve("chromium.log")));
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : List.of("chromium", "chromium-browser")) {
                if (Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
            }
        }
        return null;
    }

    /** The share of pixels that are not (nearly) white. */
    private static double inkFraction(BufferedImage img) {
        long ink = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 255) < 230 || ((rgb >> 8) & 255) < 230 || (rgb & 255) < 230) ink++;
            }
        }
        return ink / (double) ((img.getHeight() / 2) * (img.getWidth() / 2));
    }
}
