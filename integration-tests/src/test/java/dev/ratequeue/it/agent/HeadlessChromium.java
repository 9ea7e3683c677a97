package dev.ratequeue.it.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver: never a browser or driver downloaded by the
 * test (Selenium Manager is not asked, since both paths are given). {@code .ci/run} installs the two packages
 * when they are missing and sets {@code RATEQUEUE_TEST_REQUIRE_CHROMIUM=true}, so CI never skips the test; on a
 * machine without them, {@code mvn verify} skips it and says why. {@code RATEQUEUE_TEST_CHROMIUM} and
 * {@code RATEQUEUE_TEST_CHROMEDRIVER} point elsewhere.
 */
final class HeadlessChromium {
  static final Path CHROMIUM = Path.of(env("RATEQUEUE_TEST_CHROMIUM", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(env("RATEQUEUE_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));

  private HeadlessChromium() {}

  /** Skips the calling test without chromium, unless CI requires it, when it fails instead. */
  static void assumeInstalled() {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!installed && Boolean.parseBoolean(env("RATEQUEUE_TEST_REQUIRE_CHROMIUM", "false"))) {
      throw new AssertionError(CHROMIUM + " or " + CHROMEDRIVER + " is missing (apt-get install chromium chromium-driver)");
    }
    Assumptions.assumeTrue(installed, CHROMIUM + " and " + CHROMEDRIVER + " are needed (apt-get install chromium "
        + "chromium-driver)");
  }

  static ChromeDriver start(Path profile, int width, int height) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Without the background-networking switches chromium keeps trying hosts a closed network refuses.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).withTimeout(Duration.ofSeconds(60)).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return driver;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? fallback : v;
  }
}
