// The notes API (POST/GET/PUT/DELETE /notes…), called through Amplify's REST API category: each request is signed
// with SigV4 (service execute-api) using the identity pool's temporary credentials for the signed-in user.
import { del, get, post, put } from 'aws-amplify/api';

const API = 'notes';

async function send(operation) {
  const { body, statusCode } = await operation.response;
  if (statusCode === 204) return null;
  const text = await body.text();
  return text ? JSON.parse(text) : null;
}

/** Notes per page of the list. */
const PAGE_SIZE = '20';

/**
 * One page of the caller's notes, newest first: `{ items, cursor }` (cursor is null on the last page). The app always
 * asks with `limit`, and with `limit` the API answers exactly `{"notes":[…],"nextCursor":"…"|null}` (docs/notes-api.md).
 */
export async function listNotes(cursor) {
  const queryParams = cursor ? { limit: PAGE_SIZE, cursor } : { limit: PAGE_SIZE };
  const data = await send(get({ apiName: API, path: '/notes', options: { queryParams } }));
  if (!data || !Array.isArray(data.notes)) {
    throw new Error('The notes API answered a list without "notes".');
  }
  return { items: data.notes, cursor: data.nextCursor ?? null };
}

export function getNote(id) {
  return send(get({ apiName: API, path: `/notes/${encodeURIComponent(id)}` }));
}

export function createNote({ content, attachment }) {
  return send(post({ apiName: API, path: '/notes', options: { body: { content, attachment: attachment ?? null } } }));
}

export function updateNote(id, { content, attachment }) {
  return send(put({
    apiName: API,
    path: `/notes/${encodeURIComponent(id)}`,
    options: { body: { content, attachment: attachment ?? null } },
  }));
}

export function deleteNote(id) {
  return send(del({ apiName: API, path: `/notes/${encodeURIComponent(id)}` }));
}
