// Measures one XHTML document, loaded in an iframe exactly as large as
// the viewport, as Chromium laid it out at the current size and colour
// scheme (package chromium sets both). It returns what the tests assert
// on: what is wider than the viewport, the text whose colour has too
// little contrast with what is behind it, the images that do not fit,
// and, when full is true, the document's ids, its internal links and
// its footnotes' markup.
(frame, full) => {
  const OPS = "http://www.idpf.org/2007/ops";
  const win = frame.contentWindow, document = frame.contentDocument;
  const getComputedStyle = (el) => win.getComputedStyle(el);
  const vw = document.documentElement.clientWidth;
  const vh = win.innerHeight;
  const out = {base: win.location.href.split("#")[0], width: vw, height: vh, scrollWidth: document.documentElement.scrollWidth,
    overflow: [], contrast: [], images: [], ids: [], links: [], notes: []};

  // A short name for an element in a message: tag#id.class, and its text.
  const name = (el) => {
    let s = el.localName;
    if (el.id) s += "#" + el.id;
    if (el.classList && el.classList.length) s += "." + [...el.classList].join(".");
    const text = (el.textContent || "").replace(/\s+/g, " ").trim();
    return text ? s + " \u201c" + text.slice(0, 40) + "\u201d" : s;
  };

  // Colours: the page's own (the canvas: white, or dark in the dark
  // scheme) is what a transparent background shows.
  const rgba = (c) => {
    const m = c.match(/rgba?\(([^)]*)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const probe = document.createElement("div");
  probe.setAttribute("style", "background-color: Canvas; color: CanvasText");
  document.body.appendChild(probe);
  const canvas = rgba(getComputedStyle(probe).backgroundColor);
  probe.remove();
  out.canvas = canvas;
  const over = (top, below) => ({
    r: top.r * top.a + below.r * (1 - top.a),
    g: top.g * top.a + below.g * (1 - top.a),
    b: top.b * top.a + below.b * (1 - top.a), a: 1});
  const background = (el) => {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let bg = canvas;
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const lum = (c) => {
    const ch = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
  };
  const ratio = (a, b) => {
    const x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };
  const hex = (c) => "#" + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");

  // Every element that reaches past the viewport's edges (the outermost
  // of a nest only), and the text of every element that holds text.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
  const seen = new Set();
  let texts = 0;
  for (let el = walker.currentNode; el; el = walker.nextNode()) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5)) {
      let inner = false;
      for (let p = el.parentElement; p; p = p.parentElement) if (seen.has(p)) { inner = true; break; }
      seen.add(el);
      if (!inner) out.overflow.push({what: name(el), left: Math.round(r.left), right: Math.round(r.right)});
    }
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== "");
    if (own && r.width > 0) {
      texts++;
      const st = getComputedStyle(el);
      const fg = rgba(st.color), bg = background(el);
      const c = ratio(over(fg, bg), bg);
      if (c < 4.5) {
        out.contrast.push({what: name(el), color: hex(fg), background: hex(bg), ratio: Math.round(c * 100) / 100});
      }
    }
  }
  out.texts = texts;

  for (const img of document.images) {
    const r = img.getBoundingClientRect();
    const src = img.getAttribute("src");
    if (!src) {
      out.images.push({what: name(img), why: "no src"});
    } else if (!img.complete || img.naturalWidth === 0) {
      out.images.push({what: name(img), why: "does not load (" + src + ")"});
    } else if (r.width > vw + 0.5 || r.right > vw + 0.5 || r.left < -0.5 || r.height > vh + 0.5) {
      out.images.push({what: name(img), why: `${Math.round(r.width)}\u00d7${Math.round(r.height)} at x=${Math.round(r.left)}, beyond the ${vw}\u00d7${vh} viewport`});
    }
  }

  if (full) {
    for (const el of document.querySelectorAll("[id]")) out.ids.push(el.id);
    for (const a of document.querySelectorAll("a[href]")) {
      const href = a.getAttribute("href");
      if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // leaves the book
      out.links.push({what: name(a), href: href, url: a.href});
    }
    // Footnotes as Apple Books, Kobo and Kindle need them for pop-ups: the
    // reference epub:type noteref and role doc-noteref, pointing into its
    // own document to an aside with epub:type footnote and role
    // doc-footnote, which links back to the reference.
    const typeOf = (el) => (el.getAttributeNS(OPS, "type") || "").split(/\s+/);
    const all = [...document.getElementsByTagName("*")];
    for (const ref of all.filter((el) => typeOf(el).includes("noteref"))) {
      const problems = [];
      const href = ref.getAttribute("href") || "";
      if (ref.localName !== "a") problems.push("is not a link");
      if (ref.getAttribute("role") !== "doc-noteref") problems.push("has no role doc-noteref");
      if (!ref.id) problems.push("has no id to link back to");
      const note = href.startsWith("#") ? document.getElementById(href.slice(1)) : null;
      if (!note) {
        problems.push("points to " + href + ", not to a note in its document");
      } else {
        if (note.localName !== "aside") problems.push("points to a <" + note.localName + ">, not an <aside>");
        if (!typeOf(note).includes("footnote")) problems.push("points to a note without epub:type footnote");
        if (note.getAttribute("role") !== "doc-footnote") problems.push("points to a note without role doc-footnote");
        if (ref.id && ![...note.querySelectorAll("a[href]")].some((a) => a.getAttribute("href") === "#" + ref.id)) {
          problems.push("has a note that does not link back to it");
        }
      }
      out.notes.push({what: name(ref), problems: problems});
    }
    for (const note of all.filter((el) => typeOf(el).includes("footnote"))) {
      if (!all.some((el) => typeOf(el).includes("noteref") && el.getAttribute("href") === "#" + note.id)) {
        out.notes.push({what: name(note), problems: ["is a footnote no reference points to"]});
      }
    }
  }
  return out;
}
