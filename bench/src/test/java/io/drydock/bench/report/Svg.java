package io.drydock.bench.report;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A parsed SVG file, for assertions. */
record Svg(Document doc) {
    static Svg parse(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return new Svg(f.newDocumentBuilder().parse(file.toFile()));
    }

    String rootName() { return doc.getDocumentElement().getLocalName(); }

    String title() {
        NodeList t = doc.getDocumentElement().getElementsByTagNameNS("*", "title");
        return t.getLength() == 0 ? null : t.item(0).getTextContent();
    }

    /** Elements drawn for {@code series}: every shape labelled with it. */
    List<Element> shapes(String series) {
        List<Element> out = new ArrayList<>();
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (series.equals(e.getAttribute("data-series"))) out.add(e);
        }
        return out;
    }

    List<String> seriesNames() {
        List<String> out = new ArrayList<>();
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            String s = ((Element) all.item(i)).getAttribute("data-series");
            if (!s.isEmpty() && !out.contains(s)) out.add(s);
        }
        return out;
    }

    /** The text of every {@code <text>} element, in document order. */
    List<String> texts() {
        List<String> out = new ArrayList<>();
        NodeList all = doc.getElementsByTagNameNS("*", "text");
        for (int i = 0; i < all.getLength(); i++) out.add(all.item(i).getTextContent());
        return out;
    }

    static long count(List<Element> shapes, String tag) {
        return shapes.stream().filter(e -> e.getLocalName().equals(tag)).count();
    }
}
