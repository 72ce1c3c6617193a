// The Meldbot sandbox page: draws the chats the local Bot API holds and acts as the people in
// them. Everything goes through the page's JSON API (sandbox/page.py); no build step.
"use strict";

const WORDS = {
  nl: {
    explain: "Probeer Meldbot zonder Telegram: meld als bewoner links, behandel als ketenpartner rechts.",
    clock: "Klok van de bot", skip_hour: "+1 uur", skip_day: "+1 dag", skip_week: "+1 week",
    resident: "Bewoner", new_resident: "+ nieuwe bewoner", name: "Naam", add: "Toevoegen",
    share_location: "Locatie delen", send_photo: "Foto sturen", message: "Bericht", send: "Versturen",
    map_help: "Klik op de kaart om een plek te delen.", close: "Sluiten", group: "Groep",
    acting_as: "als", replying: "Antwoord op", group_message: "Bericht of /open",
    reply: "↩ antwoorden", start_hint: "Tik op ➤ met /start, of typ /melden om iets te melden.",
    no_messages: "Nog geen berichten.", location: "Locatie", unreachable: "De sandbox reageert niet; draait `meldbot sandbox` nog?",
    attachment: "bijlage",
  },
  en: {
    explain: "Try Meldbot without Telegram: report as a resident on the left, handle as a chain partner on the right.",
    clock: "Bot's clock", skip_hour: "+1 hour", skip_day: "+1 day", skip_week: "+1 week",
    resident: "Resident", new_resident: "+ new resident", name: "Name", add: "Add",
    share_location: "Share location", send_photo: "Send photo", message: "Message", send: "Send",
    map_help: "Click on the map to share a place.", close: "Close", group: "Group",
    acting_as: "as", replying: "Replying to", group_message: "Message or /open",
    reply: "↩ reply", start_hint: "Press ➤ with /start, or type /report to report something.",
    no_messages: "No messages yet.", location: "Location", unreachable: "The sandbox does not answer; is `meldbot sandbox` still running?",
    attachment: "attachment",
  },
};
const LANG = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "nl";
const t = (key) => WORDS[LANG][key] || key;

let state = null;
let residentId = null;
let teamKey = null;
let caseworkerId = null;
let replyTo = null;
const pendingPresses = new Map(); // callback id -> shown?
const seen = new Map(); // team key -> number of messages seen

const $ = (id) => document.getElementById(id);

function translatePage() {
  document.documentElement.lang = LANG;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll("[data-t-placeholder]")) el.placeholder = t(el.dataset.tPlaceholder);
  for (const el of document.querySelectorAll("[data-t-title]")) el.title = t(el.dataset.tTitle);
}

function toast(text, isError) {
  const box = $("toast");
  box.textContent = text;
  box.className = isError ? "toast error" : "toast";
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, isError ? 5000 : 3000);
}

async function post(path, body) {
  try {
    const response = await fetch(path, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) { toast(answer.error || response.statusText, true); return null; }
    return answer;
  } catch (error) {
    toast(t("unreachable"), true);
    return null;
  }
}

function when(unix) {
  const date = new Date(unix * 1000);
  const zone = { timeZone: "Europe/Amsterdam" };
  const time = date.toLocaleTimeString("nl-NL", { ...zone, hour: "2-digit", minute: "2-digit" });
  const day = date.toLocaleDateString("nl-NL", { ...zone, day: "numeric", month: "short" });
  return `${day} ${time}`;
}

function messageNode(message, chatId, mineId, inGroup) {
  const node = document.createElement("div");
  node.className = "msg" + (!message.by_bot && message.from_id === mineId ? " mine" : "");
  node.dataset.id = message.id;
  node.dataset.testid = "message";
  node.setAttribute("data-testid", message.by_bot ? "bot-message" : "person-message");
  if (inGroup || !message.by_bot) {
    if (inGroup) {
      const who = document.createElement("span");
      who.className = "who";
      who.textContent = message.from;
      node.appendChild(who);
    }
  }
  if (message.reply_to) {
    const quote = document.createElement("span");
    quote.className = "quote";
    quote.textContent = message.reply_to.text;
    node.appendChild(quote);
  }
  if (message.photo) {
    const image = document.createElement("img");
    image.src = `/api/file/${encodeURIComponent(message.photo)}`;
    image.alt = "foto";
    node.appendChild(image);
  }
  if (message.location) {
    const place = document.createElement("div");
    place.textContent = `📍 ${t("location")} ${message.location[0].toFixed(5)}, ${message.location[1].toFixed(5)}`;
    node.appendChild(place);
  }
  if (message.attachment && !message.html) {
    const other = document.createElement("div");
    other.textContent = `[${message.attachment}]`;
    node.appendChild(other);
  }
  if (message.html) {
    const body = document.createElement("div");
    body.className = "text";
    body.innerHTML = message.html; // rendered and escaped by the server (sandbox/render.py)
    node.appendChild(body);
  }
  if (message.buttons && message.buttons.length) {
    const rows = document.createElement("div");
    rows.className = "buttons";
    for (const row of message.buttons) {
      const line = document.createElement("div");
      line.className = "row";
      for (const button of row) {
        if (button.url) {
          const link = document.createElement("a");
          link.href = button.url; link.target = "_blank"; link.rel = "noopener noreferrer";
          link.textContent = button.text;
          line.appendChild(link);
        } else {
          const press = document.createElement("button");
          press.type = "button";
          press.textContent = button.text;
          press.addEventListener("click", () => pressButton(chatId, message.id, button.data, inGroup));
          line.appendChild(press);
        }
      }
      rows.appendChild(line);
    }
    node.appendChild(rows);
  }
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = when(message.date) + (message.edited ? " ✎" : "");
  if (inGroup && message.by_bot) {
    const reply = document.createElement("button");
    reply.type = "button";
    reply.className = "reply-link";
    reply.textContent = t("reply");
    reply.addEventListener("click", () => startReply(message));
    meta.appendChild(reply);
  }
  node.appendChild(meta);
  return node;
}

function drawChat(container, messages, chatId, mineId, inGroup) {
  const nearBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 80;
  const signature = JSON.stringify(messages) + mineId;
  if (container.dataset.signature === signature) return;
  container.dataset.signature = signature;
  container.replaceChildren();
  if (!messages.length) {
    const empty = document.createElement("p");
    empty.className = "empty";
    empty.textContent = inGroup ? t("no_messages") : t("start_hint");
    container.appendChild(empty);
  }
  for (const message of messages) container.appendChild(messageNode(message, chatId, mineId, inGroup));
  if (nearBottom || container.dataset.first !== "no") container.scrollTop = container.scrollHeight;
  container.dataset.first = "no";
}

function fillSelect(select, options, chosen) {
  const wanted = options.map((o) => `${o.value}=${o.label}`).join("|");
  if (select.dataset.options !== wanted) {
    select.replaceChildren(...options.map((o) => new Option(o.label, o.value)));
    select.dataset.options = wanted;
  }
  select.value = String(chosen);
}

function currentResident() { return state.residents.find((r) => r.id === residentId); }
function currentTeam() { return state.teams.find((g) => g.key === teamKey); }

function render() {
  $("clock").textContent = new Date(state.now).toLocaleString(LANG === "en" ? "en-GB" : "nl-NL", {
    timeZone: "Europe/Amsterdam", weekday: "short", day: "numeric", month: "short",
    hour: "2-digit", minute: "2-digit",
  });
  if (!currentResident() && state.residents.length) residentId = state.residents[0].id;
  if (!currentTeam() && state.teams.length) teamKey = state.teams[0].key;
  const team = currentTeam();
  seen.set(teamKey, team ? team.messages.length : 0);
  if (team && !team.caseworkers.some((c) => c.id === caseworkerId)) caseworkerId = team.caseworkers[0].id;

  fillSelect($("resident"), state.residents.map((r) => ({ value: r.id, label: `${r.name} (${r.language})` })), residentId);
  fillSelect($("team"), state.teams.map((g) => {
    const fresh = g.messages.length - (seen.get(g.key) ?? g.messages.length);
    if (!seen.has(g.key)) seen.set(g.key, g.messages.length);
    return { value: g.key, label: fresh > 0 ? `${g.title} (${fresh})` : g.title };
  }), teamKey);
  if (team) fillSelect($("caseworker"), team.caseworkers.map((c) => ({ value: c.id, label: c.name })), caseworkerId);

  const resident = currentResident();
  if (resident) {
    drawChat($("resident-chat"), resident.messages.map((m) => ({ ...m, from_id: m.by_bot ? 0 : resident.id })), resident.id, resident.id, false);
    drawKeyboard(resident.keyboard);
  }
  if (team) {
    const names = new Map(team.caseworkers.map((c) => [c.name, c.id]));
    drawChat($("group-chat"), team.messages.map((m) => ({ ...m, from_id: names.get(m.from) })), team.id, caseworkerId, true);
  }
  for (const [callback, shown] of pendingPresses) {
    if (!shown && state.answers[callback]) {
      toast(state.answers[callback], false);
      pendingPresses.set(callback, true);
    }
  }
}

function drawKeyboard(rows) {
  const box = $("reply-keyboard");
  const signature = JSON.stringify(rows || []);
  if (box.dataset.signature === signature) return;
  box.dataset.signature = signature;
  box.replaceChildren();
  for (const row of rows || []) {
    const line = document.createElement("div");
    line.className = "row";
    for (const key of row) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = key.text;
      if (key.shares === "location") button.addEventListener("click", openMap);
      else if (key.shares === "contact") button.addEventListener("click", shareContact);
      else button.addEventListener("click", () => sendAsResident(key.text));
      line.appendChild(button);
    }
    box.appendChild(line);
  }
}

async function refresh() {
  const version = state ? state.version : "";
  const response = await fetch(`/api/state?version=${encodeURIComponent(version)}`);
  if (!response.ok) throw new Error(response.statusText);
  state = await response.json();
  render();
}

async function pollForever() {
  for (;;) {
    try {
      await refresh();
    } catch (error) {
      toast(t("unreachable"), true);
      await new Promise((done) => setTimeout(done, 2000));
    }
  }
}

async function sendAsResident(text) {
  if (!residentId || !text.trim()) return;
  await post("/api/message", { user: residentId, text });
  await refresh();
}

async function pressButton(chatId, messageId, data, inGroup) {
  const user = inGroup ? caseworkerId : residentId;
  const answer = await post("/api/press", { user, chat: chatId, message: messageId, data });
  if (answer) pendingPresses.set(answer.callback, false);
  await refresh();
}

async function shareContact() {
  await post("/api/contact", { user: residentId });
  await refresh();
}

function startReply(message) {
  replyTo = message.id;
  $("replying-text").textContent = message.html.replace(/<[^>]+>/g, "").slice(0, 80);
  $("replying").hidden = false;
  $("group-text").focus();
}

function stopReply() {
  replyTo = null;
  $("replying").hidden = true;
}

function pointOnMap(svg, event) {
  const point = svg.createSVGPoint();
  point.x = event.clientX;
  point.y = event.clientY;
  const local = point.matrixTransform(svg.getScreenCTM().inverse());
  const west = Number(svg.dataset.west), north = Number(svg.dataset.north);
  const longitude = west + local.x / Number(svg.dataset.scaleX);
  const latitude = north - local.y / Number(svg.dataset.scaleY);
  return { latitude, longitude };
}

async function openMap() {
  const box = $("map");
  if (!box.firstChild) {
    box.innerHTML = await (await fetch("/map.svg")).text();
    const svg = box.querySelector("svg");
    svg.addEventListener("click", async (event) => {
      const { latitude, longitude } = pointOnMap(svg, event);
      $("map-dialog").hidden = true;
      await post("/api/location", { user: residentId, latitude, longitude });
      await refresh();
    });
    svg.addEventListener("mousemove", (event) => {
      const target = event.target.closest("path[data-name]");
      $("map-hover").textContent = target ? `${target.dataset.name} (${target.dataset.wijk})` : "\u00a0";
    });
  }
  $("map-dialog").hidden = false;
}

function wire() {
  for (const button of document.querySelectorAll("[data-skip]")) {
    button.addEventListener("click", async () => {
      await post("/api/clock", { skip: button.dataset.skip });
      await refresh();
    });
  }
  $("resident").addEventListener("change", (e) => { residentId = Number(e.target.value); render(); });
  $("team").addEventListener("change", (e) => { teamKey = e.target.value; stopReply(); render(); });
  $("caseworker").addEventListener("change", (e) => { caseworkerId = Number(e.target.value); render(); });
  $("resident-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("resident-text");
    const text = input.value;
    input.value = "";
    await sendAsResident(text);
  });
  $("group-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("group-text");
    const team = currentTeam();
    if (!team || !input.value.trim()) return;
    const body = { user: caseworkerId, chat: team.id, text: input.value };
    if (replyTo !== null) body.reply_to = replyTo;
    input.value = "";
    stopReply();
    await post("/api/message", body);
    await refresh();
  });
  $("cancel-reply").addEventListener("click", stopReply);
  $("new-resident").addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await post("/api/residents", { name: $("new-name").value, language: $("new-language").value });
    if (answer) { residentId = answer.id; $("new-name").value = ""; }
    await refresh();
  });
  $("open-map").addEventListener("click", openMap);
  $("close-map").addEventListener("click", () => { $("map-dialog").hidden = true; });
  $("attach-photo").addEventListener("click", () => $("photo-file").click());
  $("photo-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file || !residentId) return;
    const form = new FormData();
    form.append("user", String(residentId));
    form.append("photo", file);
    const response = await fetch("/api/photo", { method: "POST", body: form });
    if (!response.ok) toast((await response.json()).error, true);
    event.target.value = "";
    await refresh();
  });
}

translatePage();
wire();
pollForever();
