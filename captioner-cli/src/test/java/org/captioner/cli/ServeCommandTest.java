package org.captioner.cli;

import org.captioner.serve.ServerConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServeCommandTest {

    @Test
    void listensOnLoopbackByDefaultAndSaysHowToExposeTheService() {
        ServeCommand serve = new ServeCommand();
        new picocli.CommandLine(serve).parseArgs();
        assertThat(serve.host).isEqualTo("127.0.0.1");
        assertThat(serve.latencyBudgetMillis).isEqualTo(500);
        CommandLineRunner help = CommandLineRunner.run("serve", "--help");
        assertThat(help.out()).contains("Default: 127.0.0.1", "--host 0.0.0.0 exposes");
    }

    @Test
    void warmsUpBeforeListeningUnlessToldNotTo() {
        ServeCommand serve = new ServeCommand();
        new picocli.CommandLine(serve).parseArgs();
        assertThat(serve.warmUpMillis).isEqualTo(ServerConfig.DEFAULT_WARM_UP_MILLIS);
        new picocli.CommandLine(serve).parseArgs("--warm-up-ms", "0");
        assertThat(serve.warmUpMillis).isZero();
        assertThat(CommandLineRunner.run("serve", "--help").out()).contains("--warm-up-ms");
    }
}
