package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which file a request path names, and the paths that name none. */
class WebAssetsTests {

    private final WebAssets assets = WebAssets.of(Map.of(
            "index.html", bytes("<!doctype html>"),
            "favicon.svg", bytes("<svg/>"),
            "assets/index-abc123.js", bytes("console.log(1)"),
            "assets/index-abc123.css", bytes("body{}"),
            "docs/a b.txt", bytes("spaced")));

    @Test
    void findWhenRootThenIndexRevalidated() {
        WebAssets.Asset asset = assets.find("/").orElseThrow();

        assertThat(asset.path()).isEqualTo("index.html");
        assertThat(asset.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(asset.immutable()).isFalse();
        assertThat(asset.etag()).startsWith("\"").endsWith("\"").hasSize(34);
    }

    @Test
    void findWhenHashedAssetThenImmutableWithItsContentType() {
        assertThat(assets.find("/assets/index-abc123.js").orElseThrow())
                .satisfies(a -> assertThat(a.contentType()).isEqualTo("text/javascript; charset=utf-8"))
                .satisfies(a -> assertThat(a.immutable()).isTrue());
        assertThat(assets.find("/assets/index-abc123.css").orElseThrow().contentType())
                .isEqualTo("text/css; charset=utf-8");
        assertThat(assets.find("/favicon.svg").orElseThrow().contentType()).isEqualTo("image/svg+xml");
    }

    @Test
    void findWhenPercentEncodedNameThenDecoded() {
        assertThat(assets.find("/docs/a%20b.txt").orElseThrow().path()).isEqualTo("docs/a b.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/notes", "/notes/new", "/notes/0d6f7c1e-8f7a-4c1b-9f59-2f2f0b1f3a11", "/signin", "/reset"})
    void findWhenClientSideRouteThenIndex(String path) {
        assertThat(assets.find(path).orElseThrow().path()).isEqualTo("index.html");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/missing.js", "/assets/missing", "/assets/index-old.js", "/robots.txt"})
    void findWhenMissingFileThenEmpty(String path) {
        assertThat(assets.find(path)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/../pom.xml",
                "/assets/../index.html",
                "/..%2fpom.xml",
                "/%2e%2e/%2e%2e/etc/passwd",
                "/%2E%2E%2Fetc%2Fpasswd",
                "/assets%5c..%5cindex.html",
                "/a\\b",
                "/./index.html",
                "//etc/passwd",
                "/index.html%00.js",
                "/%zz",
                "/%e",
                "/%c0%ae%c0%ae/etc/passwd",
                "relative.html",
                "/caf\u00e9"
            })
    void normalizeWhenTraversalOrMalformedThenEmpty(String path) {
        assertThat(WebAssets.normalize(path)).isEmpty();
        assertThat(assets.find(path)).isEmpty();
    }

    @Test
    void fromClasspathWhenNoWebAppThenEmptyAndEveryPathMissing() {
        WebAssets none = WebAssets.fromClasspath(new ClassLoader(null) {});

        assertThat(none.size()).isZero();
        assertThat(none.find("/")).isEmpty();
        assertThat(none.find("/notes")).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
