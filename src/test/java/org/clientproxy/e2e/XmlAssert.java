package org.clientproxy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** Compares XML by its information (names, namespaces, attributes in any order, text), not by its spelling. */
final class XmlAssert {
    private XmlAssert() {
    }

    static void assertSameXml(String expected, String actual) {
        if (!parse(expected).isEqualNode(parse(actual))) {
            assertEquals(expected, actual, "XML differs");
            assertTrue(false, "XML differs in namespaces or attribute values: " + actual);
        }
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
            document.normalizeDocument();
            return document;
        } catch (Exception e) {
            throw new AssertionError("Not well-formed XML: " + xml, e);
        }
    }
}
