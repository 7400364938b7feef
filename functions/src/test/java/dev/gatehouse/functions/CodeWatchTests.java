package dev.gatehouse.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory's stamp stays cached until a change, and the first stamp after a change (at once) sees it. */
class CodeWatchTests {

    @TempDir
    Path code;

    private CodeWatch watched() throws IOException {
        Files.createDirectories(code.resolve("src/lib"));
        Files.writeString(code.resolve("index.js"), "exports.handler = async () => 1;");
        Files.writeString(code.resolve("src/lib/util.js"), "module.exports = 1;");
        Files.createDirectories(code.resolve("node_modules/dep"));
        CodeWatch watch = CodeWatch.of(code, CodeStamp::of);
        assumeTrue(watch.watching(), "inotify is available (Linux)");
        return watch;
    }

    @Test
    void whenNothingChangesThenTheTreeIsWalkedOnlyOnce() throws IOException {
        try (CodeWatch watch = watched()) {
            CodeStamp first = watch.stamp();
            for (int i = 0; i < 100; i++) {
                assertThat(watch.stamp()).isEqualTo(first);
            }
            assertThat(watch.walks()).isEqualTo(1);
        }
    }

    @Test
    void whenANestedFileIsRewrittenInPlaceThenTheVeryNextStampDiffers() throws IOException {
        try (CodeWatch watch = watched()) {
            CodeStamp before = watch.stamp();
            Path util = code.resolve("src/lib/util.js");
            Files.writeString(util, "module.exports = 2;"); // same size
            Files.setLastModifiedTime(util, FileTime.fromMillis(before.lastModifiedMillis() + 5_000));
            assertThat(watch.stamp()).isNotEqualTo(before);
        }
    }

    @Test
    void whenAnEditorSavesByRenameThenTheVeryNextStampDiffers() throws IOException {
        try (CodeWatch watch = watched()) {
            CodeStamp before = watch.stamp();
            Path temp = code.resolve("index.js.tmp");
            Files.writeString(temp, "exports.handler = async () => 22;");
            Files.move(temp, code.resolve("index.js"), StandardCopyOption.REPLACE_EXISTING);
            assertThat(watch.stamp()).isNotEqualTo(before);
        }
    }

    @Test
    void whenAFileAppearsInANewDirectoryThenItIsSeenAndThatDirectoryWatched() throws IOException {
        try (CodeWatch watch = watched()) {
            CodeStamp before = watch.stamp();
            Files.createDirectories(code.resolve("routes"));
            CodeStamp emptyDirectory = watch.stamp();
            assertThat(emptyDirectory).isEqualTo(before);
            Files.writeString(code.resolve("routes/a.js"), "1");
            CodeStamp withFile = watch.stamp();
            assertThat(withFile.files()).isEqualTo(before.files() + 1);
            Files.writeString(code.resolve("routes/a.js"), "22");
            assertThat(watch.stamp().bytes()).isEqualTo(withFile.bytes() + 1);
        }
    }

    @Test
    void whenOnlyNodeModulesChangesThenTheStampIsNotTakenAgain() throws IOException {
        try (CodeWatch watch = watched()) {
            watch.stamp();
            Files.writeString(code.resolve("node_modules/dep/index.js"), "1");
            watch.stamp();
            assertThat(watch.walks()).isEqualTo(1);
        }
    }

    @Test
    void whenTheDirectoryIsRemovedAndMadeAgainThenTheNewCodeIsSeen() throws IOException {
        try (CodeWatch watch = watched()) {
            CodeStamp before = watch.stamp();
            try (var files = Files.walk(code)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
            assertThat(watch.stamp()).isEqualTo(CodeStamp.MISSING);
            Files.createDirectories(code);
            Files.writeString(code.resolve("index.js"), "exports.handler = 3;");
            CodeStamp again = watch.stamp();
            assertThat(again.files()).isEqualTo(1);
            Files.writeString(code.resolve("index.js"), "exports.handler = 33;");
            assertThat(watch.stamp().bytes()).isEqualTo(again.bytes() + 1);
            assertThat(before).isNotEqualTo(again);
        }
    }

    @Test
    void whenTheCodeIsAFileThenItIsStampedOnEveryCallAndAChangeSeenAtOnce() throws IOException {
        Path jar = code.resolve("app.jar");
        Files.writeString(jar, "PK");
        try (CodeWatch watch = CodeWatch.of(jar, CodeStamp::of)) {
            CodeStamp before = watch.stamp();
            Files.writeString(jar, "PK2");
            assertThat(watch.watching()).isFalse();
            assertThat(watch.stamp().bytes()).isEqualTo(before.bytes() + 1);
            assertThat(watch.walks()).isEqualTo(2);
        }
    }
}
