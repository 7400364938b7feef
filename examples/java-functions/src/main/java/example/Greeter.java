package example;

import java.util.Map;

/** A plain class whose method is the handler: {@code example.Greeter::greet}. */
public class Greeter {

  public String greet(Map<String, String> input) {
    return "Hello " + input.getOrDefault("name", "stranger") + "!";
  }
}
