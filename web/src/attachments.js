// Attachments in the stack's bucket through Amplify Storage, under the caller's private prefix
// private/<identityId>/<file>, the only keys the identity pool's auth role may use.
import { getUrl, remove, uploadData } from 'aws-amplify/storage';

/** The largest attachment the app uploads. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

const privatePath = (name) => ({ identityId }) => `private/${identityId}/${name}`;

/** A key-safe name for the chosen file, prefixed with the time so two uploads never collide. */
function storedName(file) {
  const safe = file.name.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'file';
  return `${Date.now()}-${safe.slice(-100)}`;
}

/** Uploads `file`; returns the name saved in the note's `attachment`. */
export async function uploadAttachment(file) {
  const name = storedName(file);
  await uploadData({
    path: privatePath(name),
    data: file,
    options: { contentType: file.type || 'application/octet-stream' },
  }).result;
  return name;
}

/** A presigned download URL for the attachment, valid for 15 minutes. */
export async function attachmentUrl(name) {
  const { url } = await getUrl({ path: privatePath(name), options: { expiresIn: 900 } });
  return url.toString();
}

export async function removeAttachment(name) {
  await remove({ path: privatePath(name) });
}
