/* Posting to the deskstretch server from any page: one place for the CSRF token, the same-origin
 * credentials and the reading of an answer, so the player, the builder and the check-in agree.
 */

/** The page's CSRF token (base.html puts it in <meta name="csrf-token">). */
export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") : "";
}

/** A refusal from the server: ``status``, and ``detail`` when its JSON body said why. */
export class ServerError extends Error {
  constructor(status, detail) {
    super(detail || `the server answered ${status}`);
    this.name = "ServerError";
    this.status = status;
    this.detail = detail;
  }
}

/**
 * POST ``body`` (FormData as it is, anything else as JSON) with the CSRF token; resolves to the
 * Response. ``keepalive`` lets the request outlive a closing tab; ``accept`` sets Accept.
 */
export function post(url, body, { keepalive = false, accept = "" } = {}) {
  const headers = { "X-CSRF-Token": csrfToken() };
  if (accept) headers.Accept = accept;
  const form = typeof FormData !== "undefined" && body instanceof FormData;
  if (!form) headers["Content-Type"] = "application/json";
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    keepalive,
    headers,
    body: form ? body : JSON.stringify(body),
  });
}

/**
 * POST JSON and read the JSON answer (an empty object when there is none). Rejects with a
 * ServerError when the server refuses, or with the fetch's own error when it cannot be reached.
 */
export async function postJson(url, body, options = {}) {
  const response = await post(url, body, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = data && typeof data.detail === "string" ? data.detail : "";
    throw new ServerError(response.status, detail);
  }
  return data;
}
