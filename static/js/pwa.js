// The installable app (issue 32): registers the service worker (templates/pwa/sw.js), offers
// "add to home screen" once, turns push on for this device, and lists the last seen pages on
// the offline page. No inline scripts (strict CSP): everything is attached here.
"use strict";

const PAGES = "nhiemvu-pages";
const OFFER_ANSWERED = "nhiemvu-install-offer-answered";

function meta(name) {
  const el = document.querySelector(`meta[name="${name}"]`);
  return el ? el.content : "";
}

if ("serviceWorker" in navigator && meta("nhiemvu-sw")) {
  // A browser that cannot install it (private mode, a page before the second factor) keeps
  // the site as a website: nothing to tell the person.
  navigator.serviceWorker.register(meta("nhiemvu-sw"), { scope: meta("nhiemvu-scope") || "/" })
    .catch(() => {});
}

// Signed out (the login page): the pages kept for offline reading were someone's; drop them.
if (meta("nhiemvu-signed-out") && "caches" in window) caches.delete(PAGES);

// "Thêm vào màn hình chính": offered once, in a small bar; the answer (either) is remembered.
window.addEventListener("beforeinstallprompt", (event) => {
  const bar = document.getElementById("install-offer");
  if (!bar || localStorage.getItem(OFFER_ANSWERED)) return;
  event.preventDefault();
  bar.hidden = false;
  const answered = () => { localStorage.setItem(OFFER_ANSWERED, "1"); bar.hidden = true; };
  bar.querySelector(".js-install").addEventListener("click", () => { answered(); event.prompt(); });
  bar.querySelector(".js-install-dismiss").addEventListener("click", answered);
});

function keyBytes(base64url) {
  const raw = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - base64url.length % 4) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

// The settings page's "turn on for this device": the browser asks the person, subscribes at its
// push service with our VAPID key, and the subscription is sent to the server.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".js-push-subscribe");
  if (!button) return;
  const status = document.querySelector(".js-push-status");
  const say = (text) => { if (status) status.textContent = text; };
  button.addEventListener("click", async () => {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) { say(button.dataset.unsupported); return; }
    try {
      if ((await Notification.requestPermission()) !== "granted") { say(button.dataset.denied); return; }
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: keyBytes(button.dataset.key),
      });
      const response = await fetch(button.dataset.url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(subscription),
      });
      if (response.ok) { window.location.reload(); return; }
      const body = await response.json().catch(() => ({}));
      say(`${button.dataset.failed} ${body.error || response.status}`);
    } catch (error) {
      say(`${button.dataset.failed} ${error.message}`);
    }
  });
});

// The offline page: the last seen home and task list, each with the time it was fetched.
document.addEventListener("DOMContentLoaded", async () => {
  const section = document.getElementById("last-seen");
  if (!section || !("caches" in window)) return;
  const cache = await caches.open(PAGES);
  const list = section.querySelector("ul");
  const pages = [[section.dataset.homeUrl, section.dataset.home], [section.dataset.tasksUrl, section.dataset.tasks]];
  const two = (n) => String(n).padStart(2, "0");
  for (const [url, name] of pages) {
    const hit = await cache.match(url);
    if (!hit) continue;
    const d = new Date(hit.headers.get("X-Fetched-At"));
    const time = `${two(d.getHours())}:${two(d.getMinutes())} ${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()}`;
    const item = document.createElement("li");
    item.className = "list-group-item";
    const link = document.createElement("a");
    link.href = url;
    link.textContent = name;
    const saved = document.createElement("small");
    saved.className = "text-body-secondary ms-2";
    saved.textContent = section.dataset.saved.replace("{time}", time);
    item.append(link, saved);
    list.append(item);
  }
  section.hidden = !list.children.length;
});
