package org.clientproxy.it;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Pattern;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Openfire's admin console in a real browser: Debian's Chromium, headless, driven through Debian's
 * chromedriver (Selenium never looks for or downloads a driver or browser of its own), logged in
 * as the admin. It keeps the browser's console, so a test can see JavaScript errors.
 */
public final class Browser implements AutoCloseable {
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final String CHROMIUM = "/usr/bin/chromium";

    private final WebDriver driver;
    private final Path profile;
    private final String base;

    private Browser(WebDriver driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    /** Starts Chromium and logs in to {@code server}'s admin console. */
    public static Browser logIn(OpenfireServer server) throws IOException {
        if (!CHROMEDRIVER.canExecute() || !new File(CHROMIUM).canExecute()) {
            throw new IllegalStateException("The browser tests need Debian's chromium and chromium-driver"
                    + " (scripts/test installs them; or apt-get install -y chromium chromium-driver)");
        }
        Path profile = Files.createTempDirectory("clientproxy-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().withLogOutput(OutputStream.nullOutputStream()).build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        Browser browser = new Browser(driver, profile, server.adminConsole().toString());
        browser.open("login.jsp");
        driver.findElement(By.name("username")).sendKeys(OpenfireServer.ADMIN);
        driver.findElement(By.name("password")).sendKeys(OpenfireServer.ADMIN);
        driver.findElement(By.cssSelector("form[name=loginForm]")).submit();
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.urlContains("index.jsp"));
        return browser;
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens a page of the console ({@code path} relative to its root). */
    public void open(String path) {
        driver.get(base + path);
    }

    /**
     * The errors JavaScript logged since the last call (uncaught exceptions among them), but those
     * of Openfire's own pages: its start page logs one of its own, sometimes after the browser
     * has moved on. A script on the plugin's pages, Openfire's included, counts.
     */
    public List<String> javaScriptErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !OPENFIRE_PAGE.matcher(message).lookingAt())
                .toList();
    }

    /** A message whose source is one of Openfire's own pages (not under plugins/clientproxy/). */
    private static final Pattern OPENFIRE_PAGE = Pattern.compile("https?://[^/ ]+/(?!plugins/clientproxy/)[^ ]*\\.jsp[^ ]* ");

    /** The text the page shows. */
    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                for (Path file : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                // Chromium may still be writing its profile: the folder is in the system's temp folder.
            }
        }
    }
}
