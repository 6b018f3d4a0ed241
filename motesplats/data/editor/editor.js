// The editor's page: forms made from the description of the files (/api/state's "forms"), each
// change an edit sent to the server, which checks the whole workspace and saves. Nothing here
// knows a field by name: what a field is and how it is shown comes from its kind.
"use strict";
(() => {
  const base = location.pathname.replace(/[^/]*$/, "");
  const pick = (navigator.language || "sv").slice(0, 2);
  let lang = localStorage.getItem("motesplats-language") || (["sv", "en", "fr"].includes(pick) ? pick : "sv");
  let state = null;
  let current = null;  // the file open: {file, version, data, edits, eventIndex, problems, diff}
  let widgets = new Map();  // path key -> {wrapper, inputs, error}
  let checkTimer = null;
  let checkNumber = 0;

  const $ = (selector) => document.querySelector(selector);
  const key = (path) => JSON.stringify(path);
  const idOf = (prefix, path) => prefix + "-" + path.join("-").replace(/[^A-Za-z0-9_-]/g, "_");

  function t(name, values) {
    let text = ((state && state.words[name]) || {})[lang] || name;
    for (const [k, v] of Object.entries(values || {})) text = text.split("{" + k + "}").join(String(v));
    return text;
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function words(text) {  // a text field's value in the interface's language, else any
    if (typeof text === "string") return text;
    if (!text || typeof text !== "object") return "";
    return text[lang] || text[state.languages[0]] || Object.values(text)[0] || "";
  }

  function say(message, tone) {
    const status = $("#status");
    status.textContent = message;
    status.className = "status " + (tone || "");
  }

  async function api(path, body) {
    const options = body === undefined ? {} : {
      method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)};
    const response = await fetch(base + path, options);
    let record = {};
    try { record = await response.json(); } catch (error) { record = {refused: response.statusText}; }
    return {status: response.status, record};
  }

  // --- loading and navigation -------------------------------------------------------------

  async function loadState() {
    const answer = await api("api/state");
    state = answer.record;
  }

  function translatePage() {
    document.documentElement.lang = lang;
    document.title = "motesplats: " + t("title");
    $("#heading").textContent = "motesplats · " + t("title");
    $("#skip").textContent = t("skip");
    $("#language-label").textContent = t("language");
    $("#navigation").setAttribute("aria-label", t("navigation"));
    $("#ui-language").value = lang;
  }

  function renderNavigation(route) {
    const nav = $("#navigation");
    nav.replaceChildren();
    const link = (href, text) => el("a", {href, "aria-current": route === href ? "page" : null, text});
    nav.append(link("#year", t("year_list")), link("#calendar", t("year_calendar")));
    const files = el("select", {"aria-label": t("files"), onchange: (e) => { if (e.target.value) location.hash = e.target.value; }},
      el("option", {value: "", text: t("files") + "…"}),
      Object.keys(state.files).map((file) => el("option", {value: "#file/" + file, text: file,
        selected: route === "#file/" + file})));
    nav.append(files);
  }

  async function route() {
    const hash = location.hash || "#year";
    const parts = hash.slice(1).split("/");
    const main = $("#content");
    renderNavigation(parts[0] === "event" ? "" : hash);
    $("#preview").hidden = true;
    $(".layout").classList.remove("with-preview");
    if (parts[0] === "event") {
      const index = Number(parts[parts.length - 1]);
      openFile(parts.slice(1, -1).join("/"), index);
    } else if (parts[0] === "file") {
      openFile(parts.slice(1).join("/"), null);
    } else {
      current = null;
      main.replaceChildren(parts[0] === "calendar" ? calendarView(Number(parts[1]) || null) : yearList());
    }
  }

  // --- the year ---------------------------------------------------------------------------

  function eventHref(event) { return "#event/" + event.file + "/" + event.index; }

  function statusBadge(status) {
    return status && status !== "confirmed" ? el("span", {class: "badge", text: choiceLabel("status", status)}) : null;
  }

  function choiceLabel(fieldName, value) {
    for (const record of Object.values(state.forms)) {
      const field = record.fields.find((f) => f.name === fieldName);
      const choice = field && field.choices.find((c) => c.value === value);
      if (choice) return choice.label[lang];
    }
    return value;
  }

  function yearList() {
    const rows = state.events.map((event) => el("tr", {},
      el("td", {text: String(event.start).slice(0, 16).replace("T", " ")}),
      el("td", {}, el("a", {href: eventHref(event), class: event.status === "cancelled" ? "cancelled-text" : null,
                            text: words(event.title) || event.id}), statusBadge(event.status),
         el("div", {class: "help", text: [event.sessions ? event.sessions + " " + t("sessions_count") : "",
                                          event.agenda ? event.agenda + " " + t("agenda_count") : ""].filter(Boolean).join(", ")})),
      el("td", {text: choiceLabel("kind", event.kind)}),
      el("td", {text: event.file})));
    return el("section", {"aria-labelledby": "year-heading"},
      el("h2", {id: "year-heading", text: t("year_list")}), problemSummary(null),
      el("div", {class: "year-list"}, el("table", {},
        el("thead", {}, el("tr", {}, ["date", "event", "kind", "file"].map((k) => el("th", {scope: "col", text: t(k)})))),
        el("tbody", {}, rows))));
  }

  function calendarView(year) {
    const years = [...new Set(state.events.map((e) => Number(String(e.start).slice(0, 4))).filter(Boolean))].sort();
    year = year || years[0] || new Date().getFullYear();
    const months = t("months").split(" ");
    const weekdays = t("weekdays").split(" ");
    const chooser = el("label", {}, t("year") + " ",
      el("select", {onchange: (e) => { location.hash = "#calendar/" + e.target.value; }},
        years.map((y) => el("option", {value: y, text: y, selected: y === year}))));
    const grid = el("div", {class: "calendar"});
    for (let month = 0; month < 12; month++) {
      const first = new Date(Date.UTC(year, month, 1));
      const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
      const offset = (first.getUTCDay() + 6) % 7;
      const body = el("tbody");
      let row = el("tr");
      for (let i = 0; i < offset; i++) row.append(el("td"));
      for (let day = 1; day <= days; day++) {
        const iso = `${year}-${String(month + 1).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
        const happening = state.events.filter((e) => String(e.start).slice(0, 10) <= iso && iso <= String(e.end || e.start).slice(0, 10));
        row.append(el("td", {}, el("span", {class: "day", text: day}),
          happening.map((e) => el("a", {href: eventHref(e), class: "chip" + (e.status === "cancelled" ? " cancelled-text" : ""),
                                         text: words(e.title) || e.id}))));
        if ((offset + day) % 7 === 0) { body.append(row); row = el("tr"); }
      }
      if (row.children.length) body.append(row);
      grid.append(el("div", {class: "month"}, el("table", {},
        el("caption", {text: months[month] + " " + year}),
        el("thead", {}, el("tr", {}, weekdays.map((w) => el("th", {scope: "col", text: w})))), body)));
    }
    return el("section", {"aria-labelledby": "calendar-heading"},
      el("h2", {id: "calendar-heading", text: t("year_calendar")}), chooser, grid);
  }

  // --- one file, or one event of an events file -------------------------------------------

  function openFile(file, eventIndex) {
    const known = state.files[file];
    if (!known) { $("#content").replaceChildren(el("p", {text: file})); return; }
    if (!current || current.file !== file || current.eventIndex !== eventIndex || !current.edits.length) {
      current = {file, version: known.version, data: structuredClone(known.data), edits: [], eventIndex,
                 problems: state.problems, diff: ""};
    }
    renderCurrent();
    if (eventIndex !== null) loadPreview();
  }

  function renderCurrent(focusId) {
    const main = $("#content");
    widgets = new Map();
    const known = state.files[current.file];
    if (current.data === null) {
      main.replaceChildren(el("h2", {text: current.file}), el("p", {text: t("unreadable")}), problemSummary(current.file));
      return;
    }
    const record = state.forms[known.record];
    const content = [];
    let heading;
    if (current.eventIndex !== null) {
      const event = (current.data.event || [])[current.eventIndex] || {};
      const path = ["event", current.eventIndex];
      heading = words(event.title) || event.id || current.file;
      content.push(eventActions(event, path));
      content.push(el("div", {id: "problems"}));
      content.push(...fields("event", event, path, inheritedOf(current.data), event));
    } else {
      heading = current.file;
      content.push(fileActions(), el("div", {id: "problems"}));
      content.push(...fields(record.name, current.data, [], {}, current.data));
    }
    content.push(el("details", {id: "diff-box"}, el("summary", {text: t("changes")}), el("pre", {class: "diff", id: "diff"})));
    main.replaceChildren(el("h2", {id: "form-heading"}, heading, el("span", {class: "help", text: "  " + current.file})),
                         el("form", {"aria-labelledby": "form-heading", novalidate: true,
                                     onsubmit: (e) => { e.preventDefault(); save(); }}, content));
    showProblems(current.problems);
    showDiff(current.diff);
    if (focusId && document.getElementById(focusId)) document.getElementById(focusId).focus();
  }

  function inheritedOf(data) {
    return data && typeof data.defaults === "object" ? data.defaults : {};
  }

  function saveButtons() {
    return [el("button", {type: "submit", class: "primary", id: "save", text: t("save")}),
            el("button", {type: "button", id: "discard", text: t("discard"), onclick: discard})];
  }

  function fileActions() { return el("div", {class: "actions"}, saveButtons()); }

  function eventActions(event, path) {
    const start = String(event.start || "");
    const cancelled = event.status === "cancelled";
    const date = el("input", {type: "text", id: "reschedule-date", value: start.slice(0, 10), inputmode: "numeric",
                              placeholder: "2018-05-17", size: 10});
    const time = el("input", {type: "text", id: "reschedule-time", value: start.slice(11, 16), inputmode: "numeric",
                              placeholder: "09:30", size: 5});
    return el("div", {class: "actions"}, saveButtons(),
      el("button", {type: "button", id: "cancel-event", text: cancelled ? t("reinstate_event") : t("cancel_event"),
                    onclick: () => structural({op: "set", path: [...path, "status"], value: cancelled ? "confirmed" : "cancelled"}, "cancel-event")}),
      el("fieldset", {class: "reschedule"}, el("legend", {text: t("reschedule_legend")}),
        el("label", {for: "reschedule-date", text: t("new_start") + " (" + t("date") + ")"}), date,
        el("label", {for: "reschedule-time", text: t("time")}), time,
        el("button", {type: "button", id: "reschedule", text: t("reschedule"),
                      onclick: () => structural({op: "reschedule", path, value: date.value.trim() + (time.value.trim() ? "T" + time.value.trim() : "")}, "reschedule")})));
  }

  // --- forms from the records -------------------------------------------------------------

  function fields(recordName, data, path, inherited, event) {
    const record = state.forms[recordName];
    const kind = data.kind || inherited.kind || "";
    return record.fields.filter((field) =>
      !field.only_for.length || field.only_for.includes(kind) || data[field.name] !== undefined
    ).map((field) => fieldWidget(field, data, [...path, field.name], inherited, event));
  }

  function fieldWidget(field, data, path, inherited, event) {
    const value = data[field.name];
    if (field.kind === "records") return entries(field, value || [], path, event);
    if (field.kind === "table") {
      const inner = field.record ? fields(field.record, value || {}, path, {}, event) : [];
      const box = el("fieldset", {"data-path": key(path)}, el("legend", {text: field.label[lang]}),
                     el("p", {class: "help", text: field.help[lang]}), el("p", {class: "error", id: idOf("e", path), hidden: true}), inner);
      widgets.set(key(path), {wrapper: box, inputs: [], error: box.querySelector(".error")});
      return box;
    }
    const helpId = idOf("h", path), errorId = idOf("e", path);
    const wrapper = el("div", {class: "field", "data-path": key(path)});
    const described = helpId;
    const label = field.label[lang] + (field.required ? " (" + t("required") + ")" : "");
    const control = valueControl(field, value, path, inherited[field.name], described, event, data);
    const first = control.inputs[0];
    wrapper.append(control.grouped ? el("span", {class: "label", id: idOf("l", path), text: label})
                                   : el("label", {for: first.id, text: label}),
                   el("p", {class: "help", id: helpId, text: field.help[lang]}), control.node);
    if (inherited[field.name] !== undefined && value === undefined) {
      const text = shown(inherited[field.name]);
      wrapper.append(el("p", {class: "help", text: t("inherited", {value: text.length > 140 ? text.slice(0, 139) + "…" : text})}));
    }
    wrapper.append(el("p", {class: "error", id: errorId, hidden: true}));
    widgets.set(key(path), {wrapper, inputs: control.inputs, error: wrapper.lastChild});
    for (const input of control.inputs) {
      input.addEventListener(input.tagName === "SELECT" ? "change" : "input", () => changed(path, control.read()));
    }
    return wrapper;
  }

  function shown(value) {
    if (Array.isArray(value)) return value.join(", ");
    if (value && typeof value === "object") return Object.entries(value).map(([k, v]) => k + ": " + v).join(" · ");
    return String(value);
  }

  function zoneOf(field, record, event) {
    const venueId = field.zone_from ? record[field.zone_from] : null;
    const venue = venueId && state.choices.venue.find((v) => v.id === venueId);
    if (venue) return venue.zone;
    const zones = state.choices.zones || {};
    return (event && zones[event.id]) || zones[""] || "";
  }

  function textInput(id, value, extra) {
    return el("input", {type: "text", id, value: value === undefined || value === null ? "" : String(value), ...(extra || {})});
  }

  function valueControl(field, value, path, inheritedValue, described, event, record) {
    const id = idOf("f", path);
    const placeholder = inheritedValue !== undefined ? shown(inheritedValue) : null;
    switch (field.kind) {
      case "text": {
        const values = typeof value === "string" ? {[state.languages[0]]: value} : (value || {});
        const languages = [...new Set([...state.languages, ...Object.keys(values)])];
        const inputs = languages.map((language) => el("textarea", {id: id + "-" + language, lang: language,
          rows: Math.max(1, Math.ceil(String(values[language] || "").length / 28)), "aria-describedby": described,
          placeholder: placeholder && typeof inheritedValue === "object" ? inheritedValue[language] || null : placeholder}));
        inputs.forEach((input, i) => { input.value = values[languages[i]] || ""; });
        const node = el("div", {class: "languages", role: "group", "aria-labelledby": idOf("l", path)},
          inputs.map((input, i) => el("div", {}, el("label", {for: input.id, text: languages[i]}), input)));
        return {node, inputs, grouped: true, read: () => Object.fromEntries(
          inputs.map((input, i) => [languages[i], input.value]).filter(([, v]) => v !== ""))};
      }
      case "datetime":
      case "date": {
        const text = value === undefined ? "" : String(value);
        const day = textInput(id, text.slice(0, 10), {inputmode: "numeric", placeholder: placeholder ? placeholder.slice(0, 10) : "2018-05-17",
          "aria-describedby": described, "aria-label": field.label[lang] + ": " + t("date"), size: 10});
        const inputs = [day];
        const parts = [day];
        if (field.kind === "datetime") {
          const time = textInput(id + "-time", text.slice(11, 16), {inputmode: "numeric", placeholder: "09:30", size: 5,
            "aria-label": field.label[lang] + ": " + t("time"), "aria-describedby": described});
          inputs.push(time);
          parts.push(time, el("span", {class: "zone", text: t("time_zone", {zone: zoneOf(field, record, event)})}));
        }
        return {node: el("div", {class: "moment", role: "group", "aria-labelledby": idOf("l", path)}, parts), inputs, grouped: true,
          read: () => inputs[0].value.trim() + (inputs[1] && inputs[1].value.trim() ? "T" + inputs[1].value.trim() : "")};
      }
      case "boolean": {
        const select = el("select", {id, "aria-describedby": described},
          el("option", {value: "", text: t("not_set") + (placeholder ? " · " + placeholder : "")}),
          el("option", {value: "true", text: t("yes"), selected: value === true}),
          el("option", {value: "false", text: t("no"), selected: value === false}));
        return {node: select, inputs: [select], read: () => select.value === "" ? null : select.value === "true"};
      }
      case "strings": case "integers": case "durations":
        return listControl(field, value, path, described, placeholder);
      case "geo": {
        const pair = Array.isArray(value) ? value : [];
        const inputs = [textInput(id, pair[0], {"aria-label": t("latitude"), inputmode: "decimal", "aria-describedby": described}),
                        textInput(id + "-lon", pair[1], {"aria-label": t("longitude"), inputmode: "decimal", "aria-describedby": described})];
        return {node: el("div", {class: "moment", role: "group", "aria-labelledby": idOf("l", path)}, inputs), inputs, grouped: true,
          read: () => inputs.map((i) => i.value.trim()).filter((v) => v !== "")};
      }
      default: {
        if (field.choices.length) {
          const select = el("select", {id, "aria-describedby": described},
            el("option", {value: "", text: t("not_set") + (placeholder ? " · " + choiceLabel(field.name, placeholder) : "")}),
            field.choices.map((c) => el("option", {value: c.value, text: c.label[lang], selected: value === c.value})));
          if (value !== undefined && !field.choices.some((c) => c.value === value)) {
            select.append(el("option", {value, text: String(value), selected: true}));
          }
          return {node: select, inputs: [select], read: () => select.value};
        }
        const input = textInput(id, value, {type: field.kind === "url" ? "url" : "text", placeholder, "aria-describedby": described,
          inputmode: field.kind === "integer" ? "numeric" : null, ...referenceAttributes(field)});
        const parts = [input];
        if (field.refers_to) {
          const note = el("span", {class: "chosen", "aria-live": "polite"});
          const update = () => { note.textContent = chosenName(field.refers_to, input.value); };
          input.addEventListener("input", update);
          update();
          parts.push(note);
        }
        return {node: el("div", {}, parts), inputs: [input], read: () => input.value};
      }
    }
  }

  function referenceAttributes(field) {
    if (!field.refers_to || !state.choices[field.refers_to]) return {};
    return {list: "choices-" + field.refers_to, autocomplete: "off", spellcheck: "false"};
  }

  function chosenName(refersTo, id) {
    if (!id) return "";
    const found = (state.choices[refersTo] || []).find((c) => c.id === id);
    if (found) return t("chosen", {name: found.name + (found.detail ? " (" + found.detail + ")" : "")});
    return (state.choices[refersTo] || []).length ? t("unknown_choice") : "";
  }

  function listControl(field, value, path, described, placeholder) {
    const values = Array.isArray(value) ? value.map(String) : [];
    const rows = el("div", {class: "list-values", role: "group", "aria-labelledby": idOf("l", path)});
    const inputs = [];
    const control = {node: rows, inputs, grouped: true,
      read: () => inputs.map((i) => i.value.trim()).filter((v) => v !== "")};
    const addRow = (text, focus) => {
      const index = inputs.length;
      const input = textInput(idOf("f", path) + (index ? "-" + index : ""), text, {"aria-describedby": described,
        "aria-label": field.label[lang] + " " + (index + 1), placeholder: index === 0 ? placeholder : null,
        inputmode: field.kind === "integers" ? "numeric" : null, ...referenceAttributes(field)});
      inputs.push(input);
      const note = field.refers_to ? el("span", {class: "chosen", text: chosenName(field.refers_to, text)}) : null;
      input.addEventListener("input", () => { if (note) note.textContent = chosenName(field.refers_to, input.value);
                                              changed(path, control.read()); });
      const remove = el("button", {type: "button", class: "remove-value", text: "✕", "aria-label": t("remove_value") + " " + (index + 1),
        onclick: () => { input.value = ""; changed(path, control.read()); row.remove(); inputs.splice(inputs.indexOf(input), 1);
                         (inputs[inputs.length - 1] || add).focus(); }});
      const row = el("div", {class: "row"}, input, remove, note);
      rows.insertBefore(row, add);
      if (focus) input.focus();
    };
    const add = el("button", {type: "button", class: "add-value", text: "+ " + t("add_value"), "aria-label": t("add_value") + ": " + field.label[lang],
                              onclick: () => addRow("", true)});
    rows.append(add);
    (values.length ? values : [""]).forEach((v) => addRow(v, false));
    return control;
  }

  function entries(field, list, path, event) {
    const record = state.forms[field.record];
    const section = el("section", {class: "entries", "data-path": key(path), "aria-labelledby": idOf("s", path)},
      el("h3", {id: idOf("s", path), text: field.label[lang] + " (" + list.length + ")"}),
      el("p", {class: "help", text: field.help[lang]}), el("p", {class: "error", id: idOf("e", path), hidden: true}));
    widgets.set(key(path), {wrapper: section, inputs: [], error: section.querySelector(".error")});
    if (path.length === 1 && path[0] === "event" && current.eventIndex === null) {
      section.append(el("ul", {}, list.map((entry, index) => el("li", {},
        el("a", {href: "#event/" + current.file + "/" + index, text: words(entry.title) || entry.id || String(index + 1)})))));
      return section;
    }
    list.forEach((entry, index) => {
      const entryPath = [...path, index];
      const title = words(entry.title) || entry.name || entry.id || entry.person || "";
      const legendId = idOf("g", entryPath);
      const box = el("fieldset", {class: "entry", "data-path": key(entryPath), "aria-labelledby": legendId},
        el("legend", {id: legendId, text: t("entry", {record: record.label[lang], number: index + 1}) + (title ? ": " + title : "")}),
        el("div", {class: "entry-tools"},
          el("button", {type: "button", id: idOf("up", entryPath), disabled: index === 0, text: "↑ " + t("move_up"),
            "aria-label": t("move_up") + ": " + record.label[lang] + " " + (index + 1),
            onclick: () => structural({op: "move", path, from: index, to: index - 1}, idOf("up", [...path, index - 1]))}),
          el("button", {type: "button", id: idOf("down", entryPath), disabled: index === list.length - 1, text: "↓ " + t("move_down"),
            "aria-label": t("move_down") + ": " + record.label[lang] + " " + (index + 1),
            onclick: () => structural({op: "move", path, from: index, to: index + 1}, idOf("down", [...path, index + 1]))}),
          el("button", {type: "button", id: idOf("remove", entryPath), text: t("remove"),
            "aria-label": t("remove") + ": " + record.label[lang] + " " + (index + 1),
            onclick: () => structural({op: "remove", path: entryPath}, idOf("add", path))})),
        el("p", {class: "error", id: idOf("e", entryPath), hidden: true}),
        fields(field.record, entry, entryPath, {}, event), members(entry, field.record));
      widgets.set(key(entryPath), {wrapper: box, inputs: [], error: box.querySelector(".error")});
      section.append(box);
    });
    const next = list.length;
    section.append(el("button", {type: "button", id: idOf("add", path), class: "add-entry",
      text: "+ " + t("add") + ": " + record.label[lang],
      onclick: () => structural({op: "add", path, value: newEntry(record, list, event)}, firstFieldId(record, [...path, next]))}));
    return section;
  }

  function members(entry, recordName) {  // a roster's people are in its CSV file: shown, not edited here
    const roster = recordName === "roster" && (state.choices.rosters || []).find((r) => r.id === entry.id);
    if (!roster) return null;
    return el("details", {}, el("summary", {text: t("members", {file: roster.file}) + " · " + roster.members.length}),
      el("table", {}, el("thead", {}, el("tr", {}, ["name", "role", "party"].map((k) => el("th", {scope: "col", text: t(k)})))),
        el("tbody", {}, roster.members.map((m) => el("tr", {}, el("td", {text: m.name}), el("td", {text: m.role}),
                                                          el("td", {text: m.party || m.organisation}))))));
  }

  function newEntry(record, list, event) {
    const entry = {};
    for (const field of record.fields) {
      if (field.name === "id" && field.required) {
        let n = list.length + 1;
        while (list.some((e) => e.id === "ny-" + n)) n++;
        entry.id = "ny-" + n;
      } else if (field.required && field.kind === "datetime" && event && event[field.name] !== undefined) {
        entry[field.name] = event[field.name];  // a new session starts and ends with its event, to be changed
      }
    }
    return entry;
  }

  function firstFieldId(record, path) {
    const field = record.fields.find((f) => f.name !== "id" && !["records", "table"].includes(f.kind)) || record.fields[0];
    const id = idOf("f", [...path, field.name]);
    return field.kind === "text" ? id + "-" + state.languages[0] : id;
  }

  // --- edits, checks and saving -------------------------------------------------------------

  function setIn(data, path, value) {
    let node = data;
    for (let i = 0; i < path.length - 1; i++) {
      if (node[path[i]] === undefined) node[path[i]] = {};
      node = node[path[i]];
    }
    const empty = value === null || value === "" || (Array.isArray(value) && !value.length) ||
                  (typeof value === "object" && value !== null && !Array.isArray(value) && !Object.keys(value).length);
    if (empty) delete node[path[path.length - 1]]; else node[path[path.length - 1]] = value;
  }

  function changed(path, value) {
    setIn(current.data, path, value);
    const last = current.edits[current.edits.length - 1];
    if (last && last.op === "set" && key(last.path) === key(path)) last.value = value;
    else current.edits.push({op: "set", path, value});
    say(t("unsaved"));
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 400);
  }

  async function check() {
    const number = ++checkNumber;
    const answer = await api("api/check", {file: current.file, version: current.version, edits: current.edits});
    if (number !== checkNumber) return;  // a later check is on its way
    if (!handleTrouble(answer)) return;
    current.problems = answer.record.problems;
    current.diff = answer.record.diff;
    showProblems(current.problems);
    showDiff(current.diff);
    const errors = current.problems.filter((p) => p.error).length;
    say(errors ? t("errors_count", {count: errors}) : (current.edits.length ? t("unsaved") + " · " : "") + t("checked_ok"), errors ? "bad" : "ok");
  }

  async function structural(edit, focusId) {
    clearTimeout(checkTimer);
    current.edits.push(edit);
    say(t("checking"));
    const answer = await api("api/check", {file: current.file, version: current.version, edits: current.edits});
    if (!handleTrouble(answer)) { current.edits.pop(); return; }
    current.data = answer.record.data;
    current.problems = answer.record.problems;
    current.diff = answer.record.diff;
    renderCurrent(focusId);
    const errors = current.problems.filter((p) => p.error).length;
    say(t("unsaved") + (errors ? " · " + t("errors_count", {count: errors}) : ""), errors ? "bad" : "");
  }

  function handleTrouble(answer) {
    if (answer.status === 409) {
      const file = current.file;
      say(t("conflict", {file}), "bad");
      reloadAfterConflict(file);
      return false;
    }
    if (answer.status !== 200) {
      say(t("refused") + ": " + (answer.record.refused || answer.status), "bad");
      return false;
    }
    return true;
  }

  async function reloadAfterConflict(file) {
    const message = $("#status").textContent;
    await loadState();
    current = null;
    await route();
    say(message, "bad");
  }

  async function save() {
    clearTimeout(checkTimer);
    if (!current.edits.length) { say(t("nothing_to_save")); return; }
    say(t("checking"));
    const answer = await api("api/save", {file: current.file, version: current.version, edits: current.edits});
    if (!handleTrouble(answer)) return;
    const result = answer.record;
    current.problems = result.problems;
    current.diff = result.diff;
    if (!result.saved) {
      showProblems(current.problems);
      showDiff(current.diff);
      const errors = current.problems.filter((p) => p.error).length;
      say(errors ? t("not_saved", {count: errors}) : t("nothing_to_save"), errors ? "bad" : "");
      focusFirstError();
      return;
    }
    const file = current.file;
    current.edits = [];
    current.version = result.version;
    current.data = result.data;
    current.diff = "";
    await loadState();
    current.problems = state.problems;
    renderCurrent("save");
    say(t("saved", {file, count: result.built.length}), "ok");
    if (current.eventIndex !== null) loadPreview();
  }

  async function discard() {
    await loadState();
    current = null;
    await route();
  }

  function showDiff(diff) {
    const box = $("#diff");
    if (!box) return;
    box.replaceChildren(...(diff ? diff.split("\n").map((line) => el("span", {
      class: line.startsWith("+") && !line.startsWith("+++") ? "added" : line.startsWith("-") && !line.startsWith("---") ? "removed" : null,
      text: line + "\n"})) : [t("no_changes")]));
  }

  function widgetFor(path) {
    for (let n = path.length; n > 0; n--) {
      const found = widgets.get(key(path.slice(0, n)));
      if (found) return found;
    }
    return null;
  }

  function showProblems(problems) {
    for (const widget of widgets.values()) {
      widget.error.hidden = true;
      widget.error.replaceChildren();
      widget.wrapper.classList.remove("has-error");
      for (const input of widget.inputs) {
        input.removeAttribute("aria-invalid");
        input.setAttribute("aria-describedby", idOf("h", JSON.parse(widget.wrapper.dataset.path)));
      }
    }
    const box = $("#problems");
    if (!box) return;
    box.replaceChildren(problemSummary(current.file, problems));
  }

  function problemSummary(file, problems) {
    problems = (problems || state.problems).filter((p) => p.error || p.file === file);
    if (!problems.length) return el("div");
    const here = [], elsewhere = [];
    for (const problem of problems) {
      const widget = problem.file === file && problem.path ? widgetFor(problem.path) : null;
      const line = el("li", {class: problem.error ? "error" : "warning"});
      if (widget) {
        widget.error.hidden = false;
        widget.error.append(el("span", {text: problem.text}), el("br"));
        if (problem.error) widget.wrapper.classList.add("has-error");
        for (const input of widget.inputs) {
          if (problem.error) input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", widget.error.id + " " + idOf("h", JSON.parse(widget.wrapper.dataset.path)));
        }
        const target = widget.inputs[0] || widget.wrapper;
        line.append(el("a", {href: "#" + (target.id || ""), text: problem.text,
                             onclick: (e) => { e.preventDefault(); focusWidget(widget); }}));
        here.push(line);
      } else {
        line.textContent = problem.text;
        (problem.file === file ? here : elsewhere).push(line);
      }
    }
    const errors = problems.filter((p) => p.error).length;
    const warnings = problems.length - errors;
    return el("div", {class: "summary" + (errors ? "" : " warnings-only"), role: errors ? "alert" : null, id: "problem-summary"},
      el("h3", {text: t("problems") + ": " + [errors ? t("errors_count", {count: errors}) : "",
                                               warnings ? t("warnings_count", {count: warnings}) : ""].filter(Boolean).join(", ")}),
      el("ul", {}, here),
      elsewhere.length ? [el("h3", {text: t("other_problems")}), el("ul", {}, elsewhere)] : null);
  }

  function focusWidget(widget) {
    const target = widget.inputs[0] || widget.wrapper.querySelector("input, select, textarea, button");
    if (target) target.focus();
    widget.wrapper.scrollIntoView({block: "center"});
  }

  function focusFirstError() {
    const link = document.querySelector("#problem-summary a");
    if (link) link.focus(); else if ($("#problem-summary")) $("#problem-summary").setAttribute("tabindex", "-1");
  }

  // --- preview --------------------------------------------------------------------------------

  async function loadPreview() {
    const event = (current.data.event || [])[current.eventIndex];
    if (!event || !event.id) return;
    const answer = await api("api/preview?event=" + encodeURIComponent(event.id));
    const preview = answer.record;
    const aside = $("#preview");
    const stamp = "?v=" + encodeURIComponent(current.version);
    const pages = preview.files.filter((f) => f.startsWith("programmes/") && f.endsWith(".html"));
    const page = pages.find((f) => f.endsWith("." + lang + ".html")) || pages[0];
    const pdfs = preview.files.filter((f) => f.endsWith(".pdf"));
    const link = (file) => el("li", {}, el("a", {href: base + "build/" + file + stamp, target: "_blank", rel: "noopener",
                                               text: t("open_pdf", {name: file.split("/").pop()})}));
    const parts = [el("h2", {id: "preview-heading", text: t("preview")})];
    parts.push(el("h3", {text: t("preview_programme")}));
    if (page) parts.push(el("iframe", {class: "programme", src: base + "build/" + page + stamp, title: t("preview_programme")}));
    const programmePdfs = pdfs.filter((f) => f.startsWith("programmes/"));
    const badgePdfs = pdfs.filter((f) => f.startsWith("badges/"));
    if (programmePdfs.length) parts.push(el("ul", {}, programmePdfs.map(link)));
    if (!page && !programmePdfs.length) parts.push(el("p", {text: t("preview_none")}));
    parts.push(el("h3", {text: t("preview_feed")}));
    if (preview.feed) {
      parts.push(el("p", {class: "help", text: t("feed_from", {feed: preview.feed.feed})}));
      for (const entry of preview.feed.entries) {
        const cancelled = entry.status === "CANCELLED";
        parts.push(el("div", {class: "feed-entry" + (cancelled ? " cancelled" : ""), "data-uid": entry.uid},
          el("div", {class: "when", text: entry.start.replace("T", " ") + (entry.end ? " – " + entry.end.replace("T", " ") : "")}),
          el("div", {class: cancelled ? "cancelled-text" : null, text: entry.summary}),
          cancelled ? el("div", {class: "error", text: t("cancelled")}) : null,
          entry.location ? el("div", {class: "help", text: entry.location}) : null,
          entry.description ? el("details", {}, el("summary", {text: "…"}), el("pre", {text: entry.description})) : null));
      }
      if (preview.feed.more) parts.push(el("p", {class: "help", text: t("more_entries", {count: preview.feed.more})}));
    } else {
      parts.push(el("p", {text: t("preview_none")}));
    }
    if (badgePdfs.length) parts.push(el("h3", {text: t("preview_badges")}), el("ul", {}, badgePdfs.map(link)));
    aside.replaceChildren(...parts);
    aside.hidden = false;
    $(".layout").classList.add("with-preview");
  }

  function datalists() {
    const holder = el("div", {hidden: true, id: "choices"});
    for (const [refersTo, list] of Object.entries(state.choices)) {
      if (!Array.isArray(list) || refersTo === "rosters") continue;
      holder.append(el("datalist", {id: "choices-" + refersTo},
        list.map((c) => el("option", {value: c.id, label: c.name + (c.detail ? " · " + c.detail : "")}))));
    }
    const old = $("#choices");
    if (old) old.replaceWith(holder); else document.body.append(holder);
  }

  async function start() {
    $("#ui-language").addEventListener("change", (e) => {
      lang = e.target.value;
      localStorage.setItem("motesplats-language", lang);
      translatePage();
      if (current) renderCurrent(); else route();
      if (current && current.eventIndex !== null) loadPreview();
      renderNavigation(location.hash);
    });
    say("…");
    await loadState();
    translatePage();
    datalists();
    window.addEventListener("hashchange", () => {
      if (current && current.edits.length && !confirm(t("leave_unsaved"))) return;
      if (current && current.edits.length) current = null;
      route();
    });
    window.addEventListener("beforeunload", (e) => { if (current && current.edits.length) e.preventDefault(); });
    await route();
    say("");
  }

  start();
})();
