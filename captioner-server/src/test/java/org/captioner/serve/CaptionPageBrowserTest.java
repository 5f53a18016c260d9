package org.captioner.serve;

import org.captioner.Captioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the web page in the system's headless Chromium (Debian {@code chromium} and {@code chromium-driver}):
 * uploads a picture, sees its caption, and hovers a word to draw its attention map. Skipped when Chromium or
 * its driver is not installed. Leaves a screenshot in {@code target/browser-caption.png}.
 */
class CaptionPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("target/browser-caption.png");

    @TempDir
    static Path directory;
    private static Captioner captioner;
    private static CaptionServer server;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
        captioner = TinyModel.load(directory);
        server = CaptionServer.start(LoadedModel.of("tiny", captioner),
                ServerConfig.builder().optAddress("127.0.0.1", 0).build());
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1000,1100",
                "--user-data-dir=" + Files.createDirectories(directory.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop();
            captioner.close();
        }
    }

    @Test
    void uploadingAPictureShowsItsCaptionAndHoveringAWordDrawsItsAttention() throws Exception {
        Path photo = directory.resolve("photo.jpg");
        Files.copy(samplePhoto(), photo, StandardCopyOption.REPLACE_EXISTING);
        browser.get("http://127.0.0.1:" + server.port() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("model-info"), "Model tiny"));

        browser.findElement(By.id("image-file")).sendKeys(photo.toAbsolutePath().toString());
        browser.findElement(By.id("caption-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Captioned in"));

        List<WebElement> captions = browser.findElements(By.cssSelector("#captions li"));
        assertThat(captions).hasSize(1);
        String caption = captions.get(0).getAttribute("data-caption");
        assertThat(caption).isNotBlank();
        List<WebElement> words = captions.get(0).findElements(By.cssSelector("button.word"));
        assertThat(words).isNotEmpty();
        assertThat(String.join(" ", words.stream().map(WebElement::getText).toList())).isEqualTo(caption);
        assertThat((Boolean) ((JavascriptExecutor) browser).executeScript(
                "const img = document.getElementById('picture'); return img.complete && img.naturalWidth > 0;")).isTrue();

        new Actions(browser).moveToElement(words.get(0)).perform();
        assertThat(attentionPixelsDrawn()).as("shaded pixels on the attention canvas").isPositive();

        Files.createDirectories(SCREENSHOT.toAbsolutePath().getParent());
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("browser test: caption \"" + caption + "\"; screenshot " + SCREENSHOT.toAbsolutePath());
    }

    /** Counts canvas pixels with some opacity: the attention shading over the picture. */
    private long attentionPixelsDrawn() {
        Object count = ((JavascriptExecutor) browser).executeScript("""
                const canvas = document.getElementById('attention');
                if (canvas.width === 0 || canvas.height === 0) return 0;
                const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let shaded = 0;
                for (let i = 3; i < data.length; i += 4) if (data[i] > 0) shaded++;
                return shaded;""");
        return ((Number) count).longValue();
    }

    /** A real photo from the shared Flickr8k images when present, else a made-up picture. */
    private static Path samplePhoto() throws Exception {
        Path images = Path.of(System.getProperty("captioner.shared", "../shared")).resolve("data/flickr8k/images");
        Path flickr = images.resolve("2090545563_a4e66ec76b.jpg");
        if (Files.isRegularFile(flickr)) {
            return flickr;
        }
        Path made = directory.resolve("made.jpg");
        Files.write(made, TestImages.jpeg(320, 240, 5));
        return made;
    }
}
