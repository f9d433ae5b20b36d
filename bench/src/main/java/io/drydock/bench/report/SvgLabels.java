package io.drydock.bench.report;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Makes an XChart SVG say what it shows. XChart draws every text as outlines, so neither the title nor a
 * series name is text in the file; this adds a {@code <title>} to the document and, to every shape drawn
 * in a series' colour (its bars or markers and line, and its legend swatch), a {@code <title>} child with
 * the series name and a {@code data-series} attribute — browsers show it as a tooltip, and tools and
 * tests can find the series. Series colours must be distinct ({@link BarChart#palette}).
 */
final class SvgLabels {
    private SvgLabels() {}

    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    static byte[] annotate(byte[] svg, String title, Map<String, Color> series) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
            Element root = doc.getDocumentElement();
            Element t = doc.createElementNS(SVG_NS, "title");
            t.setTextContent(title);
            root.insertBefore(t, root.getFirstChild());
            Map<String, String> byColour = new LinkedHashMap<>();
            series.forEach((name, c) -> byColour.putIfAbsent(rgb(c), name));
            NodeList all = root.getElementsByTagNameNS("*", "*");
            for (int i = 0; i < all.getLength(); i++) {
                Element e = (Element) all.item(i);
                String name = seriesOf(e.getAttribute("style"), byColour);
                if (name == null) continue;
                e.setAttribute("data-series", name);
                Element label = doc.createElementNS(SVG_NS, "title");
                label.setTextContent(name);
                e.appendChild(label);
            }
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream(svg.length + 1024);
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException
                 | javax.xml.transform.TransformerException e) {
            throw new IOException("cannot label the chart SVG '" + title + "': " + e.getMessage(), e);
        }
    }

    private static String seriesOf(String style, Map<String, String> byColour) {
        if (style.isEmpty()) return null;
        for (String decl : style.split(";")) {
            String d = decl.trim();
            if (d.startsWith("fill:") || d.startsWith("stroke:")) {
                String name = byColour.get(d.substring(d.indexOf(':') + 1).trim());
                if (name != null) return name;
            }
        }
        return null;
    }

    static String rgb(Color c) {
        return String.format(Locale.ROOT, "rgb(%d,%d,%d)", c.getRed(), c.getGreen(), c.getBlue());
    }
}
