package dev.dnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The BOM, which has no parent, keeps the parent's version and names every library module. */
class BomTest {
  private static Document read(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  private static String topLevel(Document pom, String tag) {
    NodeList children = pom.getDocumentElement().getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      Node n = children.item(i);
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return e.getTextContent().trim();
      }
    }
    throw new AssertionError("no <" + tag + ">");
  }

  @Test
  void theBomMovesWithTheParentAndListsTheLibraryModules() throws Exception {
    Document parent = read(Path.of("..", "pom.xml"));
    Document bom = read(Path.of("..", "dnn-bom", "pom.xml"));
    assertEquals(topLevel(parent, "version"), topLevel(bom, "version"));
    List<String> managed = new ArrayList<>();
    NodeList ids = bom.getElementsByTagName("artifactId");
    for (int i = 0; i < ids.getLength(); i++) {
      managed.add(ids.item(i).getTextContent().trim());
    }
    for (String module : List.of("dnn-api", "dnn-cpu", "dnn-cuda", "dnn-onnx", "dnn-cli")) {
      assertTrue(managed.contains(module), module + " missing from the BOM: " + managed);
    }
  }
}
