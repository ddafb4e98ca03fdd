package dev.streamchat.ui.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * Page object of the sign-in page (Vaadin LoginForm: fields named username and password).
 */
final class LoginPage {

	private final WebDriver driver;

	LoginPage(WebDriver driver) {
		this.driver = driver;
	}

	void signIn(String username, String password) {
		WebElement form = driver.findElement(By.cssSelector("vaadin-login-form"));
		form.findElement(By.cssSelector("input[name='username']")).sendKeys(username);
		form.findElement(By.cssSelector("input[name='password']")).sendKeys(password);
		form.findElement(By.cssSelector("vaadin-button[slot='submit'], vaadin-button[theme~='submit']")).click();
	}

}
