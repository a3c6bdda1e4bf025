package io.tidings.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Image references: tags follow the chart's appVersion unless a value overrides them. */
class ImageTagTest {

    private static String image(Manifests manifests, String component) {
        return Manifests.container(manifests.deployment(component)).path("image").asText();
    }

    @Test
    void tagsFollowAppVersion() {
        String appVersion = TidingsChart.chartYaml().path("appVersion").asText();
        Manifests manifests = TidingsChart.render();

        assertThat(appVersion).isNotEmpty();
        for (String component : TidingsChart.COMPONENTS) {
            assertThat(image(manifests, component)).isEqualTo("tidings/" + component + "-svc:" + appVersion);
        }
    }

    @Test
    void globalTagOverridesAppVersion() {
        Manifests manifests = TidingsChart.renderWith("""
                image:
                  registry: registry.example.com
                  tag: "1.4.2"
                """);

        for (String component : TidingsChart.COMPONENTS) {
            assertThat(image(manifests, component))
                    .isEqualTo("registry.example.com/tidings/" + component + "-svc:1.4.2");
        }
    }

    @Test
    void serviceTagOverridesGlobalTag() {
        String appVersion = TidingsChart.chartYaml().path("appVersion").asText();
        Manifests manifests = TidingsChart.renderWith("""
                push:
                  image:
                    repository: mirror.example.com/im/push
                    tag: hotfix-2
                """);

        assertThat(image(manifests, "push")).isEqualTo("mirror.example.com/im/push:hotfix-2");
        assertThat(image(manifests, "routing")).isEqualTo("tidings/routing-svc:" + appVersion);
    }
}
