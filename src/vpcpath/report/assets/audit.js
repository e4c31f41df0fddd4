// Renders groups and findings from the embedded data when they are opened, and filters them.
// Layout of the data: see vpcpath/report/audit_html_data.py. Everything is set as text
// (textContent), never as HTML: values from AWS cannot become markup.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('audit-data').textContent);
  var S = D.s, G = D.groups, F = D.findings, H = D.hops, SUBNETS = D.subnets;
  var MARK = '\u0001';
  var ID = /\b(?:[a-z0-9]+-)*[a-z]+-[0-9a-f]{8,17}\b/g;
  var CHUNK = 100, MAX_RESULTS = 100, TAGS_SHOWN = 3;
  // Field positions (see audit_html_data.py). Groups: check, severity, account, region, vpc,
  // vpc name (all S), first finding, count, usd, share, upper bound, action (T), commands (T).
  var GC = 0, GS = 1, GA = 2, GR = 3, GV = 4, GN = 5, GF = 6, GK = 7, GSH = 9, GU = 10, GX = 11, GM = 12;
  // Findings: id (T), severity (S), title, explanation, remediation, money basis (T), usd,
  // share, bytes, upper bound, subnets (S), traces [verdict S, cidrs T, hops (indexes in H)].

  function txt(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return S[v];
    if (typeof v === 'string') return v;
    var parts = S[v[0]].split(MARK), out = parts[0];
    for (var i = 1; i < parts.length; i++) out += S[v[i]] + parts[i];
    return out;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  // Text with each id in an unbreakable span.
  function prose(tag, cls, text) {
    var e = el(tag, cls), last = 0;
    text.replace(ID, function (m, at) {
      if (at > last) e.appendChild(document.createTextNode(text.slice(last, at)));
      e.appendChild(el('span', 'id', m));
      last = at + m.length;
      return m;
    });
    if (last < text.length) e.appendChild(document.createTextNode(text.slice(last)));
    return e;
  }
  // A finding id may break after its ':' (between check and resource), never inside.
  function findingId(id) {
    var c = el('code', 'fid'), at = id.indexOf(':');
    if (at < 0) { c.appendChild(el('span', 'id', id)); return c; }
    c.appendChild(el('span', 'id', id.slice(0, at + 1)));
    c.appendChild(document.createElement('wbr'));
    c.appendChild(el('span', 'id', id.slice(at + 1)));
    return c;
  }
  function usd(v) {
    if (v === null || v === undefined) return '—';
    return '$' + v.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2});
  }
  function size(b) {
    if (b === null || b === undefined) return '—';
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'], i = 0;
    while (b >= 1024 && i < units.length - 1) { b /= 1024; i++; }
    return (i ? b.toFixed(1) : b.toFixed(0)) + ' ' + units[i];
  }
  function sev(s) { return el('span', 'sev sev-' + s, s); }
  function count(n) { return n.toLocaleString('en-US') + (n === 1 ? ' finding' : ' findings'); }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var c = arguments[i];
      parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return parent;
  }
  function whenOpen(details, fill) {
    var done = false;
    function go() { if (details.open && !done) { done = true; fill(); } }
    details.addEventListener('toggle', go);
    go();
  }

  function group(i, highlight) {
    var g = G[i], d = el('details', 'group');
    d.dataset.g = i;
    var place = S[g[GV]] + (S[g[GN]] ? ' (' + S[g[GN]] + ')' : '') + ', ' + S[g[GA]] + ' ' + S[g[GR]];
    var s = add(el('summary'), sev(S[g[GS]]), ' ', el('code', '', S[g[GC]]), ' in ',
      prose('span', '', place), el('span', 'count', count(g[GK])));
    if (g[GSH] !== null) s.appendChild(el('span', 'money', usd(g[GSH]) + (g[GU] ? ' ≤' : '') + '/month'));
    d.appendChild(s);
    var body = el('div', 'group-body');
    add(body, add(el('p', 'action'), el('strong', '', 'Fix: '), prose('span', '', txt(g[GX]))));
    g[GM].forEach(function (c) { add(body, add(el('pre'), prose('code', '', txt(c)))); });
    var list = el('div', 'findings');
    body.appendChild(list);
    d.appendChild(body);
    whenOpen(d, function () { findings(list, i, highlight); });
    return d;
  }

  function findings(list, i, highlight) {
    var g = G[i], first = g[GF], end = first + g[GK], next = first;
    function more() {
      var stop = Math.min(end, next + CHUNK);
      for (; next < stop; next++) list.appendChild(finding(next, highlight));
      var old = list.querySelector('button.more');
      if (old) old.remove();
      if (next < end) {
        var b = el('button', 'more', 'show ' + Math.min(CHUNK, end - next) + ' more of ' + (end - next));
        b.addEventListener('click', more);
        list.appendChild(b);
      }
    }
    more();
  }

  function finding(k, highlight) {
    var f = F[k], id = txt(f[0]), d = el('details', 'finding');
    d.dataset.id = id;
    if (highlight && highlight(id)) { d.classList.add('match'); d.open = true; }
    var s = add(el('summary'), sev(S[f[1]]), ' ', findingId(id));
    if (f[6] !== null) {
      var money = usd(f[6]) + (f[9] ? ' ≤' : '') + '/month';
      if (f[7] !== null) money += ' · share ' + usd(f[7]);
      s.appendChild(el('span', 'money', money));
    }
    d.appendChild(s);
    whenOpen(d, function () { detail(d, f); });
    return d;
  }

  function detail(d, f) {
    var body = el('div', 'finding-body');
    body.appendChild(prose('p', 'title', txt(f[2])));
    body.appendChild(prose('p', '', txt(f[3])));
    var fix = txt(f[4]);
    if (fix.indexOf('aws ') === 0) {
      add(body, add(el('p'), el('strong', '', 'Fix:')), add(el('pre'), prose('code', '', fix)));
    } else if (fix) {
      add(body, add(el('p'), el('strong', '', 'Fix: '), prose('span', '', fix)));
    }
    var basis = txt(f[5]);
    if (basis || f[8] !== null) {
      var m = add(el('p', 'muted'), el('strong', '', 'Money: '));
      if (f[8] !== null) m.appendChild(document.createTextNode(size(f[8]) + '/month; '));
      m.appendChild(prose('span', '', basis));
      body.appendChild(m);
    }
    f[11].forEach(function (t) {
      add(body, add(el('p', 'muted'), el('strong', '', 'Path '), '(' + S[t[0]] + ') for ' + txt(t[1]) + ':'));
      var ol = el('ol', 'hops');
      t[2].forEach(function (k) {
        var h = H[k], route = S[h[2]];
        var li = add(el('li'), el('span', 'id', S[h[0]]), ' ' + S[h[1]].replace(/-/g, ' '));
        if (route) add(li, ' — route ', el('code', '', route));
        ol.appendChild(li);
      });
      body.appendChild(ol);
    });
    var rows = f[10].filter(function (s) { return SUBNETS[S[s]]; });
    if (rows.length) {
      var table = el('table', 'subnets');
      add(table, add(el('thead'), add(el('tr'), el('th', '', 'subnet'), el('th', '', 'zone'), el('th', '', 'workloads'))));
      var tb = el('tbody');
      rows.forEach(function (s) {
        var id = S[s], info = SUBNETS[id], loads = el('td');
        info[2].forEach(function (w) { loads.appendChild(workload(w)); });
        if (!info[2].length) loads.textContent = '—';
        add(tb, add(el('tr'), add(el('td'), el('span', 'id', id), ' ' + info[0]), el('td', '', info[1]), loads));
      });
      table.appendChild(tb);
      body.appendChild(table);
    }
    d.appendChild(body);
  }

  function tag(t) { return el('span', 'tag', t[0] + '=' + t[1]); }
  function workload(w) {
    var div = add(el('div', 'workload'), el('span', 'id', w[0]), ' ');
    w[1].slice(0, TAGS_SHOWN).forEach(function (t) { div.appendChild(tag(t)); });
    if (w[1].length > TAGS_SHOWN) {
      var rest = el('details', 'tags');
      rest.appendChild(el('summary', '', '+' + (w[1].length - TAGS_SHOWN) + ' tags'));
      w[1].slice(TAGS_SHOWN).forEach(function (t) { rest.appendChild(tag(t)); });
      div.appendChild(rest);
    }
    return div;
  }

  // Top groups: rendered on the server, their findings filled here.
  document.querySelectorAll('details.group[data-g]').forEach(function (d) {
    var list = d.querySelector('.findings');
    if (list) whenOpen(d, function () { findings(list, +d.dataset.g, null); });
  });

  // The tree: check → account/region → VPC groups, filled when opened.
  var byPlace = {};
  G.forEach(function (g, i) {
    var key = S[g[GC]] + '|' + S[g[GA]] + '|' + S[g[GR]];
    (byPlace[key] = byPlace[key] || []).push(i);
  });
  document.querySelectorAll('details.place').forEach(function (d) {
    whenOpen(d, function () {
      var box = d.querySelector('.groups');
      (byPlace[d.dataset.check + '|' + d.dataset.account + '|' + d.dataset.region] || []).forEach(function (i) {
        box.appendChild(group(i, null));
      });
    });
  });

  // The filter: every word must appear in the group's account, region, VPC (id or name),
  // check, group id or one of its finding ids.
  var input = document.getElementById('filter'), results = document.getElementById('results'),
    tree = document.getElementById('tree'), counter = document.getElementById('match-count');
  var hay = null, timer = null;
  function haystacks() {
    return G.map(function (g) {
      var ids = [];
      for (var k = g[GF]; k < g[GF] + g[GK]; k++) ids.push(txt(F[k][0]));
      var id = [S[g[GC]], S[g[GA]], S[g[GR]], S[g[GV]]].join(':');
      return {group: [id, S[g[GN]]].join(' ').toLowerCase(), ids: ids};
    });
  }
  function apply() {
    var q = input.value.trim().toLowerCase();
    results.textContent = '';
    if (!q) { results.hidden = true; tree.hidden = false; counter.textContent = ''; return; }
    hay = hay || haystacks();
    var words = q.split(/\s+/), groups = 0, total = 0;
    hay.forEach(function (h, i) {
      var hits = h.ids.filter(function (id) { return words.some(function (w) { return id.toLowerCase().indexOf(w) >= 0; }); });
      var ok = words.every(function (w) {
        return h.group.indexOf(w) >= 0 || h.ids.some(function (id) { return id.toLowerCase().indexOf(w) >= 0; });
      });
      if (!ok) return;
      groups++; total += G[i][GK];
      if (groups > MAX_RESULTS) return;
      var byId = words.some(function (w) { return h.group.indexOf(w) < 0; });
      var mark = byId ? function (id) { return hits.indexOf(id) >= 0; } : null;
      var d = group(i, mark);
      results.appendChild(d);
      if (byId) d.open = true;
    });
    counter.textContent = groups.toLocaleString('en-US') + ' group(s), ' + count(total) + ' match' +
      (groups > MAX_RESULTS ? '; the first ' + MAX_RESULTS + ' groups are shown' : '');
    results.hidden = false; tree.hidden = true;
  }
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
  if (input.value) apply();
})();
