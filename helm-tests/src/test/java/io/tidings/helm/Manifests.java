package io.tidings.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** The Kubernetes objects of one `helm template` output, parsed from its YAML documents. */
final class Manifests {

    private static final YAMLMapper YAML = new YAMLMapper();

    private final List<JsonNode> objects;

    private Manifests(List<JsonNode> objects) {
        this.objects = objects;
    }

    static Manifests parse(String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && document.hasNonNull("kind")) {
                    objects.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the rendered chart is not valid YAML", e);
        }
        return new Manifests(objects);
    }

    List<JsonNode> all() {
        return objects;
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name(o).equals(name)).findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " named " + name
                + " in the rendered chart; the " + kind + " objects are "
                + ofKind(kind).stream().map(Manifests::name).toList()));
    }

    /** Returns the Deployment of a component (connector, routing, offline, history or push). */
    JsonNode deployment(String component) {
        return get("Deployment", TidingsChart.componentName(component));
    }

    /** Returns the data of a component's ConfigMap, which are the environment variables it sets. */
    Map<String, String> configEnv(String component) {
        return stringMap(get("ConfigMap", TidingsChart.componentName(component)).path("data"));
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static JsonNode podSpec(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec");
    }

    /** Returns the single container of a Tidings Deployment. */
    static JsonNode container(JsonNode deployment) {
        JsonNode containers = podSpec(deployment).path("containers");
        if (containers.size() != 1) {
            throw new AssertionError(name(deployment) + " has " + containers.size() + " containers, expected 1");
        }
        return containers.get(0);
    }

    /** Returns a container's env entries by name. */
    static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        container.path("env").forEach(entry -> env.put(entry.path("name").asText(), entry));
        return env;
    }

    static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> map.put(field.getKey(), field.getValue().asText()));
        return map;
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
