/* confkg explorer: the page's own script, inlined by confkg.outputs.explorer.
 *
 * It is the same for every graph (the Content-Security-Policy allows it by its hash) and reads
 * its data from the JSON blocks ckg-nodes, ckg-edges, ckg-options and ckg-info. Text from the
 * notes only ever reaches the DOM through textContent or text nodes, never as HTML.
 */
"use strict";
var nodes, edges, network; // pyvis's page globals: the vis DataSets and the Network
(function () {
  // ---------------------------------------------------------------------------- helpers
  function $(id) { return document.getElementById(id); }
  function readJson(id) { return JSON.parse($(id).textContent); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }
  function fmt(n) { return Number(n).toLocaleString("en"); }
  function conf(x) { return x === null || x === undefined ? "not stated" : x.toFixed(2); }
  function plural(n, one, many) { return fmt(n) + " " + (n === 1 ? one : many); }

  var info = readJson("ckg-info");
  var rawNodes = readJson("ckg-nodes"), rawEdges = readJson("ckg-edges"), options = readJson("ckg-options");
  var N = rawNodes.length;
  var types = info.types; // [name, colour, shape, glyph]
  var nodeInfo = info.nodes; // by node id (= index, most central first)
  var edgeMeta = new Map(); // id -> {edge, kind, conf, notes, data}
  var adjacency = [];
  var i;
  for (i = 0; i < N; i++) { adjacency.push([]); }
  rawEdges.forEach(function (e) {
    var relation = e.id.charAt(0) === "r", data = (relation ? info.relations : info.comentions)[+e.id.slice(1)];
    edgeMeta.set(e.id, {
      edge: e, kind: relation ? "relation" : "comention", conf: data[3],
      notes: relation ? data[6] : data[5], data: data,
      colour: JSON.parse(JSON.stringify(e.color || options.edges.color))
    });
    adjacency[e.from].push(e.id);
    if (e.to !== e.from) { adjacency[e.to].push(e.id); }
  });
  var groupColour = {};
  types.forEach(function (t) { groupColour[t[0]] = options.groups[t[0]].color; });
  // Dimmed nodes and links fade to grey and lose their labels. vis may keep the objects it is
  // given, so each update gets fresh ones.
  function copy(x) { return JSON.parse(JSON.stringify(x)); }
  var DIM_NODE = { background: "#ededed", border: "#d6d6d6", highlight: { background: "#ededed", border: "#bdbdbd" },
    hover: { background: "#e4e4e4", border: "#bdbdbd" } };
  var DIM_FONT = { color: "rgba(0,0,0,0)", strokeWidth: 0 };
  var NODE_FONT = { color: options.nodes.font.color, strokeWidth: options.nodes.font.strokeWidth };
  var DIM_EDGE = { color: "#efefef", highlight: "#cccccc", hover: "#dddddd", opacity: 1 };
  var EDGE_FONT = { color: options.edges.font.color, strokeWidth: options.edges.font.strokeWidth };

  // ---------------------------------------------------------------------------- state
  var state = {
    limit: Math.min(info.open, N), // nodes with an id below this are shown (most central first)
    typeOn: types.map(function () { return true; }),
    notes: null, // null, or a Set of note indices: only entities read in those notes
    mode: "relation", // "relation", "comention" or "both"
    minConf: info.minConfidence,
    focus: null, // null, or a Set of node ids (double-click): only those
    pinned: new Set(), // nodes shown beyond the limit because they were looked up
    selected: null // null, {kind: "node", id} or {kind: "edge", id}
  };
  var visible = new Uint8Array(N);

  function inNotes(list) {
    if (state.notes === null) { return true; }
    for (var k = 0; k < list.length; k++) { if (state.notes.has(list[k])) { return true; } }
    return false;
  }
  function nodePasses(id) {
    var n = nodeInfo[id];
    if (!state.typeOn[n.type] || !inNotes(n.notes)) { return false; }
    if (state.focus !== null) { return state.focus.has(id); }
    return id < state.limit || state.pinned.has(id);
  }
  function edgePasses(m) {
    if (state.mode !== "both" && state.mode !== m.kind) { return false; }
    if (m.conf !== null && m.conf < state.minConf - 1e-9) { return false; }
    if (!visible[m.edge.from] || !visible[m.edge.to]) { return false; }
    return m.notes.length === 0 || inNotes(m.notes);
  }
  function computeVisibility() {
    for (var k = 0; k < N; k++) { visible[k] = nodePasses(k) ? 1 : 0; }
  }

  // ---------------------------------------------------------------------------- network
  computeVisibility();
  nodes = new vis.DataSet(rawNodes);
  edges = new vis.DataSet(rawEdges);
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible[n.id] === 1; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return edgePasses(edgeMeta.get(e.id)); } });
  var container = $("mynetwork");
  network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  window.ckg = {
    network: network, nodeView: nodeView, edgeView: edgeView, state: state, info: info,
    ready: false, firstDrawMs: null, selectNode: function (id) { selectNode(id, true); },
    selectEdge: function (id) { selectEdge(id); }, isDimmed: function (id) { return isDimmed(id); },
    visibleNodeIds: function () { return nodeView.getIds(); },
    visibleEdgeIds: function () { return edgeView.getIds(); }
  };
  network.once("afterDrawing", function () {
    window.ckg.firstDrawMs = performance.now();
    window.ckg.ready = true;
    document.body.setAttribute("data-ready", "1");
  });

  function visibleNeighbourhood(id) {
    var keepNodes = new Set([id]), keepEdges = new Set();
    adjacency[id].forEach(function (eid) {
      var m = edgeMeta.get(eid);
      if (edgePasses(m)) {
        keepEdges.add(eid);
        keepNodes.add(m.edge.from);
        keepNodes.add(m.edge.to);
      }
    });
    return { nodes: keepNodes, edges: keepEdges };
  }

  // Dim everything shown but keepNodes / keepEdges (null: dim nothing). Each data update costs
  // vis-network a pass over the whole network, so the options of the drawn node and edge objects
  // are set directly (vis-network is inlined at a known version) and drawn once; only the
  // objects whose state changes are touched. Objects that leave the view are dropped from the
  // dimmed sets: vis builds them afresh, undimmed, from the DataSets when they come back.
  var dimmedNodes = new Set(), dimmedEdges = new Set();
  function dim(keepNodes, keepEdges) {
    var changed = false, body = network.body;
    nodeView.getIds().forEach(function (id) {
      var off = keepNodes !== null && !keepNodes.has(id), node = body.nodes[id];
      if (!node || off === dimmedNodes.has(id)) { return; }
      if (off) {
        dimmedNodes.add(id);
        node.setOptions({ color: copy(DIM_NODE), font: copy(DIM_FONT) });
      } else {
        dimmedNodes.delete(id);
        node.setOptions({ color: copy(groupColour[rawNodes[id].group]), font: copy(NODE_FONT) });
      }
      changed = true;
    });
    edgeView.getIds().forEach(function (id) {
      var off = keepEdges !== null && !keepEdges.has(id), edge = body.edges[id];
      if (!edge || off === dimmedEdges.has(id)) { return; }
      if (off) {
        dimmedEdges.add(id);
        edge.setOptions({ color: copy(DIM_EDGE), font: copy(DIM_FONT) });
      } else {
        dimmedEdges.delete(id);
        edge.setOptions({ color: copy(edgeMeta.get(id).colour), font: copy(EDGE_FONT) });
      }
      changed = true;
    });
    if (changed) { network.redraw(); }
  }
  function forgetHidden() {
    dimmedNodes.forEach(function (id) { if (!visible[id]) { dimmedNodes.delete(id); } });
    dimmedEdges.forEach(function (id) { if (edgeView.get(id) === null) { dimmedEdges.delete(id); } });
  }
  function isDimmed(id) { return dimmedNodes.has(id); }

  function applyHighlight() {
    var sel = state.selected;
    if (sel === null) { dim(null, null); return; }
    if (sel.kind === "node") {
      if (!visible[sel.id]) { dim(null, null); return; }
      var hood = visibleNeighbourhood(sel.id);
      dim(hood.nodes, hood.edges);
      network.selectNodes([sel.id], false);
    } else {
      var m = edgeMeta.get(sel.id);
      if (!edgePasses(m)) { dim(null, null); return; }
      dim(new Set([m.edge.from, m.edge.to]), new Set([sel.id]));
      network.selectEdges([sel.id]);
    }
  }

  function refresh() {
    computeVisibility();
    nodeView.refresh();
    edgeView.refresh();
    forgetHidden();
    applyHighlight();
    updateShown();
  }

  function updateShown() {
    var n = nodeView.length, e = edgeView.length;
    $("shown").textContent = "showing " + fmt(n) + " of " + plural(N, "entity", "entities") + " \u00b7 " +
      plural(e, "link", "links");
    var box = $("more-box");
    if (N > info.open) {
      box.hidden = false;
      $("more-text").textContent = state.limit >= N
        ? "All " + fmt(N) + " entities are in play."
        : "Opened on the " + fmt(state.limit) + " most central of " + fmt(N) + " entities (PageRank).";
      $("show-more").disabled = state.limit >= N;
      $("show-all").disabled = state.limit >= N;
      $("show-more").textContent = "Show " + fmt(Math.min(info.open, N - state.limit) || info.open) + " more";
    }
    var bar = $("focus-bar");
    bar.hidden = state.focus === null;
    if (state.focus !== null) {
      $("focus-text").textContent = "Focused on a neighbourhood of " + plural(state.focus.size, "entity", "entities") +
        " (double-click a node to expand it).";
    }
  }

  // ---------------------------------------------------------------------------- details
  var details = $("details");

  function typeOf(id) { return types[nodeInfo[id].type]; }
  function glyph(t) {
    var g = el("span", "glyph", t[3]);
    g.style.color = t[1];
    g.setAttribute("aria-hidden", "true");
    return g;
  }
  function entityLink(id) {
    var b = el("button", "entity-link");
    b.type = "button";
    b.appendChild(glyph(typeOf(id)));
    b.appendChild(document.createTextNode(nodeInfo[id].name));
    b.title = typeOf(id)[0];
    b.addEventListener("click", function () { selectNode(id, true); });
    return b;
  }
  function noteName(k) { var n = info.notes[k]; return n[1] || n[0] || "(untitled note)"; }

  // A source sentence with the mention marked: text nodes and a <mark>, never HTML.
  function sourceItem(src, label) {
    var li = el("li", "source");
    if (label) { li.appendChild(el("div", "pred", label)); }
    var text = info.texts[src[2]], a = src[3], b = src[4];
    var q = el("blockquote", "sentence");
    if (a >= 0 && b > a && b <= text.length) {
      q.appendChild(document.createTextNode(text.slice(0, a)));
      q.appendChild(el("mark", null, text.slice(a, b)));
      q.appendChild(document.createTextNode(text.slice(b)));
    } else {
      q.textContent = text;
    }
    li.appendChild(q);
    var cite = el("div", "cite"), note = info.notes[src[0]];
    cite.appendChild(el("span", "note", noteName(src[0])));
    if (note[0] && note[0] !== note[1]) {
      cite.appendChild(document.createTextNode(" \u00b7 "));
      cite.appendChild(el("span", "path", note[0]));
    }
    if (src[1] !== null) { cite.appendChild(document.createTextNode(" \u00b7 line " + src[1])); }
    cite.appendChild(document.createTextNode(" \u00b7 confidence " + conf(src[5])));
    li.appendChild(cite);
    return li;
  }

  function showNode(id) {
    var n = nodeInfo[id], t = typeOf(id), box = document.createDocumentFragment();
    var h = el("h2");
    h.appendChild(glyph(t));
    h.appendChild(el("span", "name", n.name));
    box.appendChild(h);
    box.appendChild(el("div", "type-line", t[0] + " \u00b7 " + plural(n.degree, "link", "links")));
    if (n.aliases.length) { box.appendChild(el("div", "aliases", "Also: " + n.aliases.join(", "))); }
    if (n.facts.length) {
      var dl = el("dl", "facts");
      n.facts.forEach(function (f) { dl.appendChild(el("dt", null, f[0])); dl.appendChild(el("dd", null, f[1])); });
      box.appendChild(dl);
    }
    var actions = el("div", "small-actions"), focusBtn = el("button", null, "Focus on neighbourhood");
    focusBtn.type = "button";
    focusBtn.addEventListener("click", function () { focusOn(id); });
    actions.appendChild(focusBtn);
    box.appendChild(actions);

    // Relations, grouped by predicate and direction.
    var groups = new Map(), co = [];
    adjacency[id].forEach(function (eid) {
      var m = edgeMeta.get(eid);
      if (m.kind === "comention") { co.push(m); return; }
      var pred = m.data[2], phrases = info.predicates[pred] || [pred, pred + " of"];
      var out = m.edge.from === id, key = (out ? "0" : "1") + (out ? phrases[0] : phrases[1]);
      if (!groups.has(key)) { groups.set(key, []); }
      groups.get(key).push({ other: out ? m.edge.to : m.edge.from, meta: m });
    });
    if (groups.size) {
      box.appendChild(el("h3", null, "Relations"));
      Array.from(groups.keys()).sort().forEach(function (key) {
        box.appendChild(el("div", "pred", key.slice(1)));
        var ul = el("ul");
        groups.get(key).forEach(function (r) {
          var li = el("li");
          li.appendChild(entityLink(r.other));
          var c = el("button", "link conf", " (" + conf(r.meta.conf) + ")");
          c.type = "button";
          c.title = "Show the sentences behind this relation";
          c.addEventListener("click", function () { selectEdge(r.meta.edge.id); });
          li.appendChild(document.createTextNode(" "));
          li.appendChild(c);
          ul.appendChild(li);
        });
        box.appendChild(ul);
      });
    }
    if (co.length) {
      co.sort(function (x, y) { return y.data[2] - x.data[2] || x.edge.id.localeCompare(y.edge.id); });
      box.appendChild(el("h3", null, "Co-mentioned with (" + fmt(co.length) + ")"));
      var cul = el("ul");
      co.slice(0, 12).forEach(function (m) {
        var li = el("li");
        li.appendChild(entityLink(m.edge.from === id ? m.edge.to : m.edge.from));
        li.appendChild(el("span", "conf", " \u00d7" + m.data[2]));
        cul.appendChild(li);
      });
      box.appendChild(cul);
      if (co.length > 12) { box.appendChild(el("div", "muted", "and " + fmt(co.length - 12) + " more")); }
    }
    box.appendChild(el("h3", null, "Read in"));
    if (n.sources.length) {
      var sul = el("ul");
      n.sources.forEach(function (s) { sul.appendChild(sourceItem(s)); });
      box.appendChild(sul);
      if (n.more) { box.appendChild(el("div", "muted", "and " + plural(n.more, "more mention", "more mentions"))); }
    } else if (n.notes.length) {
      var nul = el("ul");
      n.notes.forEach(function (k) { nul.appendChild(el("li", null, noteName(k))); });
      box.appendChild(nul);
    } else {
      box.appendChild(el("div", "muted", "No source recorded."));
    }
    clear(details);
    details.appendChild(box);
    details.scrollTop = 0;
  }

  function showEdge(eid) {
    var m = edgeMeta.get(eid), d = m.data, box = document.createDocumentFragment();
    var title = el("div", "edge-title");
    title.appendChild(entityLink(m.edge.from));
    if (m.kind === "relation") {
      var phrases = info.predicates[d[2]] || [d[2]];
      title.appendChild(el("span", "pred", " \u2014 " + phrases[0] + " \u2192 "));
    } else {
      title.appendChild(el("span", "pred", " \u2014 co-mentioned with \u2014 "));
    }
    title.appendChild(entityLink(m.edge.to));
    box.appendChild(title);
    if (m.kind === "relation") {
      box.appendChild(el("div", "type-line", "asserted relation \u00b7 " + d[2] + " \u00b7 confidence " + conf(d[3])));
      box.appendChild(el("h3", null, "Assertions"));
      if (d[4].length) {
        var ul = el("ul");
        d[4].forEach(function (s) { ul.appendChild(sourceItem(s, d[2])); });
        box.appendChild(ul);
        if (d[5]) { box.appendChild(el("div", "muted", "and " + plural(d[5], "more assertion", "more assertions"))); }
      } else {
        box.appendChild(el("div", "muted", "Stated without a source sentence (a curated fact)."));
      }
    } else {
      box.appendChild(el("div", "type-line", "co-mention \u00b7 weight " + d[2] + " \u00b7 confidence " + conf(d[3])));
      box.appendChild(el("h3", null, "Named together in"));
      var sl = el("ul");
      d[4].forEach(function (s) {
        var li = el("li", "source");
        li.appendChild(el("div", "sentence", s[1] || "(untitled section)"));
        li.appendChild(el("div", "cite", noteName(s[0])));
        sl.appendChild(li);
      });
      box.appendChild(sl);
    }
    clear(details);
    details.appendChild(box);
    details.scrollTop = 0;
  }

  function showNothing() {
    clear(details);
    details.appendChild(el("p", "muted", "Click a node or a link, or find an entity by name. " +
      "Double-click a node to focus on its neighbourhood; double-click again to expand it."));
  }

  // ---------------------------------------------------------------------------- selection
  // Make a node visible whatever hides it: its type back on, the event/note filter cleared,
  // a focus it is outside of left, and pinned if it lies beyond the most central ones.
  function reveal(id) {
    var said = [];
    var t = nodeInfo[id].type;
    if (!state.typeOn[t]) {
      state.typeOn[t] = true;
      legendBoxes[t].checked = true;
      said.push(types[t][0] + " turned back on");
    }
    if (!inNotes(nodeInfo[id].notes)) {
      state.notes = null;
      $("note-filter").value = "";
      said.push("event/note filter cleared");
    }
    if (state.focus !== null && !state.focus.has(id)) { state.focus = null; said.push("focus left"); }
    if (id >= state.limit) { state.pinned.add(id); }
    return said;
  }

  function selectNode(id, zoom) {
    var said = visible[id] ? [] : reveal(id);
    state.selected = { kind: "node", id: id };
    if (said.length || !visible[id]) { refresh(); } else { applyHighlight(); }
    network.selectNodes([id], false);
    if (zoom) {
      network.fit({ nodes: Array.from(visibleNeighbourhood(id).nodes), maxZoomLevel: 0.9,
        animation: { duration: 350, easingFunction: "easeInOutQuad" } });
    }
    showNode(id);
    return said;
  }

  function selectEdge(eid) {
    var m = edgeMeta.get(eid);
    if (!edgePasses(m)) {
      // A link hidden by the mode or the slider: show its kind and both ends.
      if (state.mode !== "both" && state.mode !== m.kind) { setMode("both"); }
      if (m.conf !== null && m.conf < state.minConf) { setMinConf(0); }
      reveal(m.edge.from);
      reveal(m.edge.to);
      computeVisibility();
      if (!edgePasses(m) && state.notes !== null) { // read in other notes than the filter's
        state.notes = null;
        $("note-filter").value = "";
      }
      refresh();
    }
    state.selected = { kind: "edge", id: eid };
    applyHighlight();
    showEdge(eid);
  }

  function clearSelection() {
    state.selected = null;
    network.unselectAll();
    applyHighlight();
    showNothing();
  }

  function focusOn(id) {
    var hood = new Set([id]);
    adjacency[id].forEach(function (eid) {
      var m = edgeMeta.get(eid);
      if ((state.mode === "both" || state.mode === m.kind) && (m.conf === null || m.conf >= state.minConf - 1e-9)) {
        hood.add(m.edge.from);
        hood.add(m.edge.to);
      }
    });
    if (state.focus !== null && state.focus.has(id)) {
      hood.forEach(function (k) { state.focus.add(k); }); // expand the current focus
    } else {
      state.focus = hood;
    }
    reveal(id);
    state.selected = { kind: "node", id: id };
    refresh();
    showNode(id);
    network.fit({ nodes: Array.from(state.focus).filter(function (k) { return visible[k]; }),
      animation: { duration: 350, easingFunction: "easeInOutQuad" } });
  }

  network.on("click", function (params) {
    if (params.nodes.length) { selectNode(params.nodes[0], false); }
    else if (params.edges.length) { selectEdge(params.edges[0]); }
    else { clearSelection(); }
  });
  // The browser's own dblclick, not vis-network's: vis times the two clicks itself, after the
  // first click's work is done, and so can miss a double-click on a slow machine.
  container.addEventListener("dblclick", function (ev) {
    var r = container.getBoundingClientRect();
    var id = network.getNodeAt({ x: ev.clientX - r.left, y: ev.clientY - r.top });
    if (id !== undefined) { focusOn(id); }
  });

  // ---------------------------------------------------------------------------- controls
  var legend = $("legend"), legendBoxes = [];
  var perType = types.map(function () { return 0; });
  nodeInfo.forEach(function (n) { perType[n.type] += 1; });
  types.forEach(function (t, k) {
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-type", t[0]);
    box.addEventListener("change", function () { state.typeOn[k] = box.checked; refresh(); });
    legendBoxes.push(box);
    label.appendChild(box);
    label.appendChild(glyph(t));
    label.appendChild(document.createTextNode(t[0]));
    label.appendChild(el("span", "count", fmt(perType[k])));
    li.appendChild(label);
    var only = el("button", "link only", "only");
    only.type = "button";
    only.setAttribute("data-only", t[0]);
    only.title = "Show only " + t[0];
    only.addEventListener("click", function () { setTypes(function (j) { return j === k; }); });
    li.appendChild(only);
    legend.appendChild(li);
  });
  function setTypes(on) {
    types.forEach(function (t, j) { state.typeOn[j] = on(j); legendBoxes[j].checked = state.typeOn[j]; });
    refresh();
  }
  $("types-all").addEventListener("click", function () { setTypes(function () { return true; }); });
  $("types-none").addEventListener("click", function () { setTypes(function () { return false; }); });

  var noteFilter = $("note-filter");
  if (info.events.length) {
    var evGroup = el("optgroup");
    evGroup.label = "Events";
    info.events.forEach(function (ev, k) {
      var count = info.notes.filter(function (n) { return n[2] === k; }).length;
      var o = el("option", null, ev[0] + " (" + plural(count, "note", "notes") + ")");
      o.value = "e" + k;
      evGroup.appendChild(o);
    });
    noteFilter.appendChild(evGroup);
  }
  if (info.notes.length) {
    var noteGroup = el("optgroup");
    noteGroup.label = "Notes";
    info.notes.forEach(function (n, k) {
      var o = el("option", null, n[1] && n[0] ? n[1] + " \u2014 " + n[0] : (n[1] || n[0] || "(untitled note)"));
      o.value = "n" + k;
      noteGroup.appendChild(o);
    });
    noteFilter.appendChild(noteGroup);
  }
  noteFilter.addEventListener("change", function () {
    var v = noteFilter.value;
    if (!v) { state.notes = null; }
    else if (v.charAt(0) === "e") {
      var ev = +v.slice(1);
      state.notes = new Set();
      info.notes.forEach(function (n, k) { if (n[2] === ev) { state.notes.add(k); } });
    } else {
      state.notes = new Set([+v.slice(1)]);
    }
    refresh();
  });

  function setMode(mode) {
    state.mode = mode;
    Array.prototype.forEach.call(document.querySelectorAll("input[name=mode]"), function (r) { r.checked = r.value === mode; });
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[name=mode]"), function (r) {
    r.addEventListener("change", function () { if (r.checked) { setMode(r.value); refresh(); } });
  });

  var slider = $("min-confidence");
  function setMinConf(x) {
    state.minConf = x;
    slider.value = String(x);
    $("min-confidence-value").textContent = x.toFixed(2);
  }
  setMinConf(info.minConfidence);
  slider.addEventListener("input", function () { setMinConf(parseFloat(slider.value)); refresh(); });

  $("show-more").addEventListener("click", function () { state.limit = Math.min(N, state.limit + info.open); refresh(); });
  $("show-all").addEventListener("click", function () { state.limit = N; refresh(); });
  $("fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });
  $("clear").addEventListener("click", clearSelection);
  $("unfocus").addEventListener("click", function () {
    state.focus = null;
    refresh();
    network.fit({ animation: { duration: 300 } });
  });

  // ---------------------------------------------------------------------------- search
  var search = $("search"), list = $("suggestions"), status = $("search-status");
  var keys = nodeInfo.map(function (n) {
    return { name: n.name.toLowerCase(), aliases: n.aliases.map(function (a) { return a.toLowerCase(); }) };
  });
  var suggestions = [], active = -1;

  // Lower is better: the whole name, its start, the start of one of its words, anywhere in it;
  // then the same for aliases. -1: no match.
  function matchScore(text, q) {
    if (text === q) { return 0; }
    if (text.indexOf(q) === 0) { return 1; }
    var at = text.indexOf(q);
    if (at < 0) { return -1; }
    return /[\s\-_.,:;(/'"]/.test(text.charAt(at - 1)) ? 2 : 3;
  }
  function findMatches(q) {
    var found = [];
    for (var k = 0; k < N; k++) {
      var best = matchScore(keys[k].name, q), alias = null;
      keys[k].aliases.forEach(function (a, j) {
        var s = matchScore(a, q);
        if (s >= 0 && (best < 0 || s + 0.5 < best)) { best = s + 0.5; alias = nodeInfo[k].aliases[j]; }
      });
      if (best >= 0) { found.push({ id: k, score: best, alias: alias }); }
    }
    found.sort(function (a, b) { return a.score - b.score || a.id - b.id; }); // then most central first
    return found;
  }
  function closeList() {
    list.hidden = true;
    search.setAttribute("aria-expanded", "false");
    active = -1;
  }
  function renderList() {
    clear(list);
    suggestions.slice(0, 12).forEach(function (s, k) {
      var li = el("li"), t = typeOf(s.id);
      li.setAttribute("role", "option");
      li.id = "suggestion-" + k;
      li.setAttribute("aria-selected", k === active ? "true" : "false");
      li.appendChild(glyph(t));
      li.appendChild(el("span", "name", nodeInfo[s.id].name));
      if (s.alias !== null) { li.appendChild(el("span", "alias", "\u201c" + s.alias + "\u201d")); }
      li.appendChild(el("span", "type", t[0]));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(k); });
      list.appendChild(li);
    });
    list.hidden = suggestions.length === 0;
    search.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
    if (active >= 0) { search.setAttribute("aria-activedescendant", "suggestion-" + active); }
    else { search.removeAttribute("aria-activedescendant"); }
  }
  function choose(k) {
    var s = suggestions[k];
    if (!s) { return; }
    search.value = nodeInfo[s.id].name;
    closeList();
    var said = selectNode(s.id, true);
    status.textContent = suggestions.length > 1 ? (k + 1) + " of " + plural(suggestions.length, "match", "matches") : "";
    if (said.length) { status.textContent += (status.textContent ? "; " : "") + said.join(", "); }
  }
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    suggestions = q ? findMatches(q) : [];
    active = -1;
    status.textContent = q && !suggestions.length ? "no match" : "";
    renderList();
  });
  search.addEventListener("keydown", function (ev) {
    var shown = Math.min(suggestions.length, 12);
    if (ev.key === "ArrowDown" && shown) { active = (active + 1) % shown; renderList(); ev.preventDefault(); }
    else if (ev.key === "ArrowUp" && shown) { active = (active - 1 + shown) % shown; renderList(); ev.preventDefault(); }
    else if (ev.key === "Enter") {
      ev.preventDefault();
      if (!suggestions.length) {
        var q = search.value.trim().toLowerCase();
        suggestions = q ? findMatches(q) : [];
      }
      if (suggestions.length) { choose(active >= 0 ? active : 0); } else { status.textContent = "no match"; }
    } else if (ev.key === "Escape") { closeList(); }
  });
  search.addEventListener("blur", function () { closeList(); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && ev.target === document.body) { clearSelection(); }
  });

  updateShown();
  if (N) { network.fit(); }
})();
