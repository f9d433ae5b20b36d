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
    void barChartHasOneBarPerVariantAsPngAndSvg() throws Exception {
        BenchResult r = Fixtures.threeVariants("file reads", Map.of(), 1000);
        Charts.ChartFiles f = Charts.bar(r, Charts.WALL, dir, "wall");
        assertPng(f.png());
        Svg svg = Svg.parse(f.svg());
        assertEquals("svg", svg.rootName());
        assertEquals("file reads: wall time (mean, 95% CI)", svg.title());
        assertEquals(List.of("read", "mmap", "dax"), svg.seriesNames());
        for (String series : List.of("read", "mmap", "dax")) {
            List<Element> shapes = svg.shapes(series);
            assertEquals(1, Svg.count(shapes, "path"), series + ": one bar");
            assertEquals(1, Svg.count(shapes, "rect"), series + ": one legend swatch");
            assertEquals(series, shapes.getFirst().getElementsByTagNameNS("*", "title").item(0).getTextContent());
        }
    }

    @Test
    void barHeightsFollowTheMeans() throws Exception {
        BenchResult r = Fixtures.threeVariants("heights", Map.of(), 1000);
        Svg svg = Svg.parse(Charts.bar(r, Charts.WALL, dir, "wall").svg());
        double read = height(svg, "read"), mmap = height(svg, "mmap"), dax = height(svg, "dax");
        // Means 1000 : 700 : 400 (ms scale); bars start at 0, so heights keep the proportion.
        assertEquals(r.variant("mmap").wall().mean() / r.variant("read").wall().mean(), mmap / read, 0.01);
        assertEquals(r.variant("dax").wall().mean() / r.variant("read").wall().mean(), dax / read, 0.01);
    }

    /** The vertical extent of a series' bar path ("M x,y L x,y ..."). */
    private static double height(Svg svg, String series) {
        Element bar = svg.shapes(series).stream().filter(e -> e.getLocalName().equals("path")).findFirst().orElseThrow();
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (String pair : bar.getAttribute("d").replaceAll("[MLZ]", " ").trim().split("\\s+")) {
            double y = Double.parseDouble(pair.split(",")[1]);
            min = Math.min(min, y);
            max = Math.max(max, y);
        }
        return max - min;
    }

    @Test
    void metricBarChart() throws Exception {
        BenchResult r = Fixtures.threeVariants("exits", Map.of(), 1);
        Charts.ChartFiles f = Charts.bar(r, "mmio.exits", dir, "exits");
        Svg svg = Svg.parse(f.svg());
        assertEquals("exits: mmio.exits (mean, 95% CI)", svg.title());
        assertEquals(List.of("read", "mmap", "dax"), svg.seriesNames());
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
        assertPng(f.png());
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

    static void assertPng(Path png) throws Exception {
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000, "PNG has content: " + bytes.length + " bytes");
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(bytes, 4));
        var image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
    }
}
