package dev.gatehouse.server;

import dev.gatehouse.notes.Attachments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PLACEHOLDER until the attachments bucket (module {@code objects}) is wired: deletes nothing and logs that the object
 * of a deleted note was kept. Replace it with the object store's implementation of {@link Attachments} in
 * {@link GatehouseServer}; nothing else refers to it.
 */
final class UnwiredAttachments implements Attachments {

  private static final Logger LOG = LoggerFactory.getLogger(UnwiredAttachments.class);

  @Override
  public void delete(String identityId, String attachment) {
    LOG.warn("attachments are not wired yet: the object private/{}/{} of a deleted note was kept", identityId,
        attachment);
  }
}
