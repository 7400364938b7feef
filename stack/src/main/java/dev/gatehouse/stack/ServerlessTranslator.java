package dev.gatehouse.stack;

/** Placeholder replaced below. */
final class ServerlessTranslator {
  private ServerlessTranslator() {
  }

  static Node translate(Node.MapNode root, TemplateReader.Options options) {
    throw new TemplateException(root.pos(), "serverless.yml is not supported yet");
  }
}
