// nhiemvu's service worker (issue 32), rendered by nhiemvu/web/pwa.py.
// The shell (styles, scripts, icons, the offline page) comes from the cache at once. Pages come
// from the network; when it fails, the last seen home and task list are shown from the cache
// with a banner saying when they were fetched (never as current), anything else gets the
// offline page. Pushes are shown as notifications that open the task at the notice's step.
"use strict";
const VERSION = "__VERSION__";
const SHELL = "nhiemvu-shell-" + VERSION;
const PAGES = "nhiemvu-pages";
// The server's words and addresses (nhiemvu/web/pwa.py), as JSON.
const CONFIG = {{ config|safe }};
const OFFLINE_URL = CONFIG.offline_url;
const STATIC_PREFIX = CONFIG.static_prefix;
const SHELL_URLS = [OFFLINE_URL, ...CONFIG.shell];
const LAST_SEEN = CONFIG.last_seen;
const ICON = CONFIG.icon;
const BANNER = CONFIG.banner;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_URLS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("nhiemvu-shell-") && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function two(n) { return String(n).padStart(2, "0"); }
function when(iso) {
  const d = new Date(iso);
  return `${two(d.getHours())}:${two(d.getMinutes())} ${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()}`;
}

// A last-seen page (the home, the task list without filters) is kept with the time it came.
async function keep(request, response) {
  const body = await response.clone().text();
  const headers = new Headers(response.headers);
  headers.set("X-Fetched-At", new Date().toISOString());
  const cache = await caches.open(PAGES);
  await cache.put(new URL(request.url).pathname, new Response(body, { status: 200, headers }));
}

async function offlinePage(url) {
  if (LAST_SEEN.includes(url.pathname)) {
    const cached = await (await caches.open(PAGES)).match(url.pathname);
    if (cached) {
      const fetched = cached.headers.get("X-Fetched-At");
      const banner = `<div class="alert alert-warning" role="alert" id="offline-banner" data-fetched-at="${fetched}">${BANNER.replace("%(time)s", when(fetched))}</div>`;
      const html = (await cached.text()).replace(/<main id="main"[^>]*>/, (m) => m + banner);
      return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
    }
  }
  return (await caches.match(OFFLINE_URL)) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).then((response) => {
        const lastSeen = LAST_SEEN.includes(url.pathname) && !url.search;
        if (lastSeen && response.ok && !response.redirected) event.waitUntil(keep(request, response));
        return response;
      }).catch(() => offlinePage(url)),
    );
  } else if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(SHELL).then((cache) => cache.put(request, copy)));
        }
        return response;
      })),
    );
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "nhiemvu", {
    body: data.body || "", tag: data.tag, lang: "vi", icon: ICON, badge: ICON,
    data: { url: data.url || "/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) return;  // a notice opens our own pages only
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    for (const w of windows) if (w.url === target.href && "focus" in w) return w.focus();
    return self.clients.openWindow(target.href);
  }));
});
