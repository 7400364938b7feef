package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a pool's templated messages and describes where they went ({@code CodeDeliveryDetails}). */
final class CodeDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(CodeDelivery.class);

  private final MessageSender sender;

  CodeDelivery(MessageSender sender) {
    this.sender = Objects.requireNonNull(sender, "sender cannot be null");
  }

  /** Sends {@code template} with {@code {####}} replaced by the code; {@code CodeDeliveryFailureException} on failure. */
  ObjectNode send(String purpose, PoolConfig pool, User user, String destination, String subject, String template,
      String code) {
    String body = template.replace("{####}", code).replace("{username}", user.username);
    try {
      sender.send(new OutgoingMessage(purpose, pool.id(), user.username, destination, subject, body, code));
    } catch (MessageDeliveryException e) {
      // the caller learns only CodeDeliveryFailureException; the operator needs the cause (refused, auth, TLS)
      LOG.warn("{}", e.getMessage());
      throw UserPoolErrors.error(UserPoolErrors.CODE_DELIVERY_FAILURE, "Unable to deliver the message.");
    }
    return details(destination);
  }

  /** {@code {"Destination":"a***@e***","DeliveryMedium":"EMAIL","AttributeName":"email"}} */
  static ObjectNode details(String email) {
    ObjectNode node = AwsJson.mapper().createObjectNode();
    node.put("Destination", mask(email));
    node.put("DeliveryMedium", "EMAIL");
    node.put("AttributeName", "email");
    return node;
  }

  /** Cognito's mask: first letter of the local part and of the domain, then three stars each. */
  static String mask(String email) {
    int at = email.indexOf('@');
    String local = at > 0 ? email.substring(0, 1) : email.isEmpty() ? "x" : email.substring(0, 1);
    String domain = at >= 0 && at + 1 < email.length() ? email.substring(at + 1, at + 2) : "e";
    return local + "***@" + domain + "***";
  }
}
