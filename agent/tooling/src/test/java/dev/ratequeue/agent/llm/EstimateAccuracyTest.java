package dev.ratequeue.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

class EstimateAccuracyTest {
  @Test
  void theEstimatorIsExactForOpenAiModelsAndErrsHighForOthers() throws IOException {
    List<EstimateAccuracy.Row> rows = EstimateAccuracy.rows();
    String table = EstimateAccuracy.table(rows);
    System.out.print(table);
    Path out = Paths.get("target", "estimate-accuracy.md");
    Files.createDirectories(out.getParent());
    Files.write(out, table.getBytes(StandardCharsets.UTF_8));

    assertThat(rows).hasSize(20);
    for (EstimateAccuracy.Row r : rows) {
      assertThat(r.estimatedO200k).as(r.id + ", o200k_base").isEqualTo(r.exactO200k);
      assertThat(r.estimatedCl100k).as(r.id + ", cl100k_base").isEqualTo(r.exactCl100k);
      assertThat(r.fallback).as(r.id + ", fallback against cl100k_base").isGreaterThanOrEqualTo(r.exactCl100k);
      assertThat(r.fallback).as(r.id + ", fallback against o200k_base").isGreaterThanOrEqualTo(r.exactO200k);
    }
    // The cookbook's example (few-shot-names) gives what the cookbook publishes.
    EstimateAccuracy.Row fewShot = rows.stream().filter(r -> r.id.equals("few-shot-names")).findFirst().get();
    assertThat(fewShot.exactCl100k).isEqualTo(129);
    assertThat(fewShot.exactO200k).isEqualTo(124);
  }
}
