// PulseCheck dashboard: vanilla JS against the REST API. Every value is written with
// textContent, never parsed as markup, so a website's name cannot inject any.
"use strict";

const KEY_STORAGE = "pulsecheck.api_key";
const $ = (id) => document.getElementById(id);
let nextCursor = null;
let selected = null;

function apiKey() { return sessionStorage.getItem(KEY_STORAGE); }

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${apiKey()}` } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.reason || `${response.status} ${response.statusText}`);
  }
  return body;
}

function say(text) { $("message").textContent = text || ""; }

function when(value) { return value ? new Date(value).toLocaleString() : "—"; }

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined || text === "" ? "—" : String(text);
  if (className) td.className = className;
  return td;
}

function certificateText(site) {
  if (!site.cert_expires_at) return "—";
  return `${when(site.cert_expires_at)}${site.cert_valid === false ? " (invalid)" : ""}`;
}

async function loadWebsites(more) {
  const query = new URLSearchParams({ limit: "50" });
  if (more && nextCursor) query.set("cursor", nextCursor);
  const page = await api(`/websites?${query}`);
  const body = $("websites").tBodies[0];
  if (!more) body.replaceChildren();
  for (const site of page.data) {
    const row = body.insertRow();
    row.dataset.id = site.id;
    cell(row, site.name);
    cell(row, site.url);
    cell(row, site.status, site.status);
    cell(row, when(site.last_checked_at));
    cell(row, certificateText(site));
    cell(row, site.uptime_24h === null ? null : `${site.uptime_24h} %`);
    row.addEventListener("click", () => showWebsite(site, row));
  }
  nextCursor = page.next_cursor;
  $("more-websites").hidden = !nextCursor;
  $("websites-section").hidden = false;
  if (!page.data.length && !more) say("No websites yet: register one with POST /websites.");
}

async function loadStats() {
  const stats = await api(`/websites/${selected.id}/stats?window=${$("stats-window").value}`);
  const facts = [
    ["Uptime", stats.uptime_percent === null ? null : `${stats.uptime_percent} %`],
    ["Checks", `${stats.checks} (${stats.up} up, ${stats.degraded} degraded, ${stats.down} down)`],
    ["Incidents", stats.incidents],
    ["Latency p50 / p95 / p99",
      [stats.latency.p50_ms, stats.latency.p95_ms, stats.latency.p99_ms]
        .map((v) => (v === null ? "—" : `${v} ms`)).join(" / ")],
  ];
  const list = $("stats");
  list.replaceChildren();
  for (const [name, value] of facts) {
    const term = document.createElement("dt");
    term.textContent = name;
    const detail = document.createElement("dd");
    detail.textContent = value === null || value === undefined ? "—" : String(value);
    list.append(term, detail);
  }
}

async function loadLogs() {
  const [uptime, ssl] = await Promise.all([
    api(`/websites/${selected.id}/uptime-logs?limit=20`),
    api(`/websites/${selected.id}/ssl-logs?limit=10`),
  ]);
  const uptimeBody = $("uptime-logs").tBodies[0];
  uptimeBody.replaceChildren();
  for (const log of uptime.data) {
    const row = uptimeBody.insertRow();
    cell(row, when(log.timestamp));
    cell(row, log.outcome, log.outcome);
    cell(row, log.status_code);
    cell(row, log.latency_ms === null ? null : `${log.latency_ms} ms`);
    cell(row, log.region);
    cell(row, log.error);
  }
  const sslBody = $("ssl-logs").tBodies[0];
  sslBody.replaceChildren();
  for (const log of ssl.data) {
    const row = sslBody.insertRow();
    cell(row, when(log.timestamp));
    cell(row, log.is_valid ? "valid" : "invalid", log.is_valid ? "up" : "down");
    cell(row, when(log.valid_until));
    cell(row, log.days_remaining);
    cell(row, log.issuer);
    cell(row, log.error);
  }
}

async function showWebsite(site, row) {
  selected = site;
  for (const other of $("websites").tBodies[0].rows) other.classList.remove("selected");
  row.classList.add("selected");
  $("detail-name").textContent = site.name;
  $("detail-url").textContent = site.url;
  $("detail").hidden = false;
  await guarded(() => Promise.all([loadStats(), loadLogs()]));
}

async function guarded(action) {
  try {
    say("");
    await action();
  } catch (error) {
    say(error.message);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, $("api-key").value.trim());
    $("detail").hidden = true;
    guarded(() => loadWebsites(false));
  });
  $("forget-key").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_STORAGE);
    $("websites-section").hidden = true;
    $("detail").hidden = true;
    say("");
  });
  $("more-websites").addEventListener("click", () => guarded(() => loadWebsites(true)));
  $("stats-window").addEventListener("change", () => guarded(loadStats));
  if (apiKey()) guarded(() => loadWebsites(false));
});
