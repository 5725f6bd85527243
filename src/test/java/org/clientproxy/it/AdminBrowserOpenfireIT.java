package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The plugin's admin pages in a real browser (headless Chromium), as an operator clicks through them. */
@ExtendWith(OpenfireExtension.class)
class AdminBrowserOpenfireIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ProxyPages pages;
    private static Browser browser;

    @BeforeAll
    static void open(OpenfireServer server) throws Exception {
        pages = new ProxyPages(AdminConsole.login(server));
        browser = Browser.logIn(server);
    }

    @AfterAll
    static void close() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @DisplayName("Each page renders with no JavaScript error and no missing text (???key???)")
    void pagesRender() throws Exception {
        pages.add("shown", "impl@" + OpenfireServer.DOMAIN, Map.of("allow", "local"));
        try {
            for (String page : List.of(ProxyPages.TABLE, ProxyPages.EDIT, ProxyPages.EDIT + "?subdomain=shown",
                    ProxyPages.MONITOR)) {
                browser.open(page);
                String source = browser.driver().getPageSource();
                assertFalse(source.contains("???"), () -> page + " shows a missing text: " + excerpt(source, "???"));
                assertTrue(browser.text().contains(PluginTexts.get("clientproxy.title")), () -> page + " did not render: "
                        + browser.text());
                assertEquals(List.of(), browser.javaScriptErrors(), () -> page + " logged JavaScript errors");
            }
        } finally {
            pages.remove("shown");
        }
    }

    @Test
    @DisplayName("The add form refuses a bad value and names the field; a good form adds the proxy; Remove (confirmed) removes it")
    void addAndRemove() {
        WebDriver driver = browser.driver();
        browser.open(ProxyPages.EDIT);
        driver.findElement(By.name("subdomain")).sendKeys("clicked");
        driver.findElement(By.name("target")).sendKeys("not a jid@@");
        submit(driver);
        String targetLabel = driver.findElement(By.cssSelector("label[for=cp-target]")).getText();
        String errors = driver.findElement(By.cssSelector("div.error")).getText();
        assertTrue(errors.contains(targetLabel), () -> "the error does not name " + targetLabel + ": " + errors);
        assertEquals("not a jid@@", driver.findElement(By.name("target")).getAttribute("value"));

        WebElement target = driver.findElement(By.name("target"));
        target.clear();
        target.sendKeys("impl@" + OpenfireServer.DOMAIN);
        new Select(driver.findElement(By.name("strategy"))).selectByValue("least-outstanding");
        submit(driver);
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlContains("client-proxy.jsp"));
        assertTrue(browser.text().contains("clicked." + OpenfireServer.DOMAIN), () -> "not listed: " + browser.text());
        assertTrue(browser.text().contains(PluginTexts.get("clientproxy.strategy.least-outstanding")));

        driver.findElement(By.cssSelector("form:has(input[name=subdomain][value=clicked]) button[type=submit]")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.alertIsPresent()).accept();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("input[name=subdomain][value=clicked]")));
        assertEquals(List.of(), browser.javaScriptErrors());
    }

    private static void submit(WebDriver driver) {
        WebElement form = driver.findElement(By.cssSelector("form[action='client-proxy-edit.jsp']"));
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private static String excerpt(String text, String around) {
        int at = text.indexOf(around);
        return text.substring(Math.max(0, at - 80), Math.min(text.length(), at + 80));
    }
}
