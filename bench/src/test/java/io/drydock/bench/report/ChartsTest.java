package io.drydock.bench.report;

import io.drydock.bench.run.BenchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ChartsTest {
    @TempDir Path dir;

    @Test
    void barChartHasOneHorizontalBarPerVariantWithItsNameAndValueAsText() throws Exception {
        BenchResult r = Fixtures.threeVariants("file reads", Map.of(), 1000);
        Charts.ChartFiles f = Charts.bar(r, Charts.WALL, dir, "wall");
        assertPng(f.png(), 900);
        Svg svg = Svg.parse(f.svg());
        assertEquals("svg", svg.rootName());
        assertEquals("file reads: wall time", svg.title());
        assertEquals(List.of("read", "mmap", "dax"), svg.seriesNames());
        for (String series : List.of("read", "mmap", "dax")) {
            List<Element> shapes = svg.shapes(series);
            assertEquals(1, Svg.count(shapes, "rect"), series + ": one bar, no legend (the names are on the axis)");
            assertEquals(series, shapes.getFirst().getElementsByTagNameNS("*", "title").item(0).getTextContent());
        }
        List<String> texts = svg.texts();
        assertTrue(texts.containsAll(List.of("read", "mmap", "dax")), "the variant names are text: " + texts);
        // means 1000, 700 and 400 µs (jitter averages out): written at the bars, with their intervals
        assertTrue(texts.stream().anyMatch(t -> t.matches("1\\.0\\d ms ± 0\\.\\d+")), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.matches("\\d+ µs") || t.matches("[0-9.]+ ms")), "axis ticks carry units: " + texts);
        assertTrue(texts.stream().noneMatch(t -> t.matches(".*\\dE\\d.*")), "no scientific notation: " + texts);
    }

    @Test
    void barLengthsFollowTheMeans() throws Exception {
        BenchResult r = Fixtures.threeVariants("lengths", Map.of(), 1000);
        Svg svg = Svg.parse(Charts.bar(r, Charts.WALL, dir, "wall").svg());
        double read = width(svg, "read"), mmap = width(svg, "mmap"), dax = width(svg, "dax");
        assertEquals(r.variant("mmap").wall().mean() / r.variant("read").wall().mean(), mmap / read, 0.01);
        assertEquals(r.variant("dax").wall().mean() / r.variant("read").wall().mean(), dax / read, 0.01);
    }

    private static double width(Svg svg, String series) {
        return Double.parseDouble(svg.shapes(series).stream().filter(e -> e.getLocalName().equals("rect"))
                .findFirst().orElseThrow().getAttribute("width"));
    }

    @Test
    void thirtyVariantsGetThirtyColoursRowsThatGrowTheCanvasAndSiUnitsForCounts() throws Exception {
        BenchResult r = Fixtures.manyVariants("thirty", 30, 80_000_000L);
        Charts.ChartFiles f = Charts.bar(r, "guest.instructions", dir, "instructions");
        Svg svg = Svg.parse(f.svg());
        assertEquals(30, svg.seriesNames().size());
        java.util.Set<String> fills = new java.util.HashSet<>();
        for (String s : svg.seriesNames()) fills.add(svg.shapes(s).getFirst().getAttribute("fill"));
        assertEquals(30, fills.size(), "every variant its own colour: " + fills);
        int height = Integer.parseInt(svg.doc().getDocumentElement().getAttribute("height"));
        assertTrue(height >= 30 * 20, "a row per variant: height " + height);
        var image = javax.imageio.ImageIO.read(f.png().toFile());
        assertEquals(height, image.getHeight());
        List<String> texts = svg.texts();
        assertTrue(texts.stream().anyMatch(t -> t.matches("\\d+(\\.\\d+)? M")), "counts in M: " + texts);
        assertTrue(texts.stream().noneMatch(t -> t.matches(".*\\dE\\d.*")), "no 8E7: " + texts);
    }

    @Test
    void groupsShareAColourAndAreNamedInALegend() throws Exception {
        BenchResult r = Fixtures.manyVariants("grouped", 12, 1000);
        Charts.ChartFiles f = Charts.bar(r, Charts.WALL, dir, "wall", name -> Integer.parseInt(name.substring(1)) % 2 == 0 ? "even" : "odd");
        Svg svg = Svg.parse(f.svg());
        assertEquals(List.of("even", "odd"), svg.seriesNames().stream().filter(s -> s.equals("even") || s.equals("odd")).toList(),
                "a legend swatch per group");
        String even = svg.shapes("v0").getFirst().getAttribute("fill");
        assertEquals(even, svg.shapes("v2").getFirst().getAttribute("fill"));
        assertNotEquals(even, svg.shapes("v1").getFirst().getAttribute("fill"));
        assertTrue(svg.texts().containsAll(List.of("even", "odd")));
    }

    @Test
    void sweepBarsHaveASectionPerPoint() throws Exception {
        List<BenchResult> points = List.of(
                Fixtures.threeVariants("copy", Map.of("mode", "cold"), 1),
                Fixtures.threeVariants("copy", Map.of("mode", "warm"), 2));
        Svg svg = Svg.parse(Charts.sweepBars("copy", points, Charts.WALL, dir, "sweep-wall").svg());
        assertTrue(svg.texts().containsAll(List.of("mode=cold", "mode=warm")), svg.texts().toString());
        assertEquals(2, Svg.count(svg.shapes("dax"), "rect"), "a dax bar per point (named on the axis: no legend)");
    }

    @Test
    void sweepLineChartHasAPointPerParameterValueAndASeriesPerVariant() throws Exception {
        List<BenchResult> points = List.of(
                Fixtures.threeVariants("copy", Map.of("blockSize", 4096L, "threads", 1L), 1),
                Fixtures.threeVariants("copy", Map.of("blockSize", 65536L, "threads", 1L), 2),
                Fixtures.threeVariants("copy", Map.of("blockSize", 1048576L, "threads", 1L), 5),
                Fixtures.threeVariants("copy", Map.of("blockSize", 4096L, "threads", 2L), 1),
                Fixtures.threeVariants("copy", Map.of("blockSize", 65536L, "threads", 2L), 1),
                Fixtures.threeVariants("copy", Map.of("blockSize", 1048576L, "threads", 2L), 3));
        Charts.ChartFiles f = Charts.sweepLine("copy", points, "blockSize", Charts.WALL, dir, "sweep-wall");
        assertPng(f.png(), 900);
        Svg svg = Svg.parse(f.svg());
        assertEquals("copy: wall time by blockSize", svg.title());
        List<String> expected = List.of("read (threads=1)", "mmap (threads=1)", "dax (threads=1)",
                "read (threads=2)", "mmap (threads=2)", "dax (threads=2)");
        assertEquals(expected, svg.seriesNames());
        for (String series : expected) {
            List<Element> shapes = svg.shapes(series);
            long segments = Svg.count(shapes, "line");
            long markers = shapes.size() - segments;
            assertEquals(3 + 1, markers, series + ": a marker per point, one in the legend");
            assertEquals(2 + 1, segments, series + ": a segment between points, one in the legend");
        }
    }

    @Test
    void sweepLineNeedsANumericParameter() {
        List<BenchResult> points = List.of(Fixtures.threeVariants("x", Map.of("mode", "fast"), 1));
        assertThrows(IllegalArgumentException.class, () -> Charts.sweepLine("x", points, "mode", Charts.WALL, dir, "x"));
    }

    static void assertPng(Path png, int width) throws Exception {
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000, "PNG has content: " + bytes.length + " bytes");
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(bytes, 4));
        var image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(width, image.getWidth());
        assertTrue(image.getHeight() >= 150, "height " + image.getHeight());
    }
}
