package dev.ratequeue.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratequeue.testing.fixtures.ExitWithCode;
import dev.ratequeue.testing.fixtures.SleepForever;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerJvmTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void runsAMainClassAndReportsItsExitCode() {
        try (WorkerJvm worker = WorkerJvm.builder()
                .mainClass(ExitWithCode.class)
                .systemProperty("greeting", "hello")
                .arg("3")
                .start()) {
            assertThat(worker.name()).isEqualTo("ExitWithCode");
            assertThat(worker.awaitLine(line -> line.startsWith("greeting="), TIMEOUT)).isEqualTo("greeting=hello");

            assertThat(worker.awaitExit(TIMEOUT)).isEqualTo(3);

            assertThat(worker.outputLines()).endsWith("exiting");
            assertThat(worker.outputLines()).anySatisfy(line -> assertThat(line).contains("-Xmx256m"));
            assertThat(worker.errorLines()).containsExactly("about to exit with 3");
        }
    }

    @Test
    void callerHeapLimitReplacesTheDefault() {
        try (WorkerJvm worker = WorkerJvm.builder().mainClass(ExitWithCode.class.getName())
                .jvmArg("-Xmx64m").arg("0").start()) {
            assertThat(worker.awaitExit(TIMEOUT)).isZero();
            String jvmArgs = worker.awaitLine(line -> line.startsWith("jvm-args="), TIMEOUT);
            assertThat(jvmArgs).contains("-Xmx64m").doesNotContain("-Xmx256m");
        }
    }

    @Test
    void kill9EndsASleepingWorker() {
        try (WorkerJvm worker = WorkerJvm.builder().name("sleeper").mainClass(SleepForever.class).start()) {
            worker.awaitLine("sleeping"::equals, TIMEOUT);

            assertThatThrownBy(() -> worker.awaitLine("never printed"::equals, Duration.ofMillis(100)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("'sleeper'")
                    .hasMessageContaining("sleeping");

            worker.kill9();

            assertThat(worker.isAlive()).isFalse();
            assertThat(ProcessHandle.of(worker.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        }
    }

    @Test
    void awaitExitKillsAWorkerThatDoesNotExit() {
        try (WorkerJvm worker = WorkerJvm.builder().name("stubborn").mainClass(SleepForever.class).start()) {
            assertThatThrownBy(() -> worker.awaitExit(Duration.ofMillis(200)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("'stubborn'");
            assertThat(worker.isAlive()).isFalse();
        }
    }
}
