// Checks that axe cannot make, run inside the page by tests/support/page_checks.py.
// window.pageChecks.focus(): every focusable element, focused by keyboard, shows an indicator
//   with 3:1 against what surrounds it, and its text keeps 4.5:1 (3:1 when large).
// window.pageChecks.reflow(): the page does not scroll sideways; anything that scrolls on its
//   own is a labelled, focusable region.
(() => {
  "use strict";
  const parse = (css) => {
    const m = /rgba?\(([^)]+)\)/.exec(css || "");
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const colours = (css) => (css.match(/rgba?\([^)]+\)/g) || []).map(parse);
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const hex = (c) => "#" + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");

  // The colour painted behind an element's content: its own background over its ancestors'.
  function backgroundOf(element) {
    const layers = [];
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) {
        layers.push(colour);
        if (colour[3] >= 1) break;
      }
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  }

  function describe(element) {
    let text = (element.innerText || element.value || element.getAttribute("aria-label") || "").trim();
    text = text.replace(/\s+/g, " ").slice(0, 40);
    const id = element.id ? "#" + element.id : "";
    const cls = element.classList.length ? "." + [...element.classList].join(".") : "";
    return `${element.tagName.toLowerCase()}${id}${cls} "${text}"`;
  }

  const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

  function visible(element) {
    if (!element.getClientRects().length) return false;
    const style = getComputedStyle(element);
    return style.visibility !== "hidden" && style.display !== "none";
  }

  function snapshot(element) {
    const s = getComputedStyle(element);
    return {
      outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 ? parse(s.outlineColor) : null,
      outlineKey: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
      shadows: s.boxShadow === "none" ? [] : colours(s.boxShadow),
      shadowKey: s.boxShadow,
      background: backgroundOf(element),
      border: parseFloat(s.borderBottomWidth) >= 2 ? parse(s.borderBottomColor) : null,
      borderKey: `${s.borderBottomWidth} ${s.borderBottomColor} ${s.borderTopColor}`,
      textDecoration: s.textDecorationLine,
    };
  }

  // Elements holding text directly, with their size: the text that must stay readable.
  function textHolders(element) {
    const found = [];
    const walk = (node) => {
      if (node.nodeType !== 1 || !visible(node)) return;
      const direct = [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
      const isField = /^(INPUT|SELECT|TEXTAREA)$/.test(node.tagName) &&
        !/^(checkbox|radio|range|color|file|submit|button|image|reset)$/.test(node.type || "");
      if (direct || isField || (node.tagName === "INPUT" && /^(submit|button|reset)$/.test(node.type))) found.push(node);
      [...node.children].forEach(walk);
    };
    walk(element);
    return found;
  }

  function isLarge(style) {
    const px = parseFloat(style.fontSize);
    return px >= 24 || (px >= 18.66 && Number(style.fontWeight) >= 700);
  }

  // getComputedStyle reports every link as unvisited (privacy), so each :visited rule gets a
  // twin for [data-visited], inserted just after it (same specificity, same cascade order).
  function simulateVisited() {
    const twin = (rules, insert) => {
      for (let i = rules.length - 1; i >= 0; i--) {
        const rule = rules[i];
        if (rule.cssRules && !rule.selectorText) twin(rule.cssRules, (text, at) => rule.insertRule(text, at));
        else if (rule.selectorText && rule.selectorText.includes(":visited")) {
          insert(rule.cssText.replaceAll(":visited", "[data-visited]"), i + 1);
        }
      }
    };
    for (const sheet of document.styleSheets) {
      if (sheet.ownerNode && sheet.ownerNode.dataset.visitedTwins) continue;
      try {
        twin(sheet.cssRules, (text, at) => sheet.insertRule(text, at));
        if (sheet.ownerNode) sheet.ownerNode.dataset.visitedTwins = "yes";
      } catch (e) { /* a sheet from elsewhere: not ours to check */ }
    }
  }

  function focus() {
    const problems = [];
    let checked = 0;
    simulateVisited();
    const elements = [...document.querySelectorAll(FOCUSABLE)].filter(visible);
    if (document.activeElement) document.activeElement.blur(); // compare with nothing focused
    const states = [];
    for (const element of elements) {
      states.push([element, false]);
      if (element.matches("a[href]")) states.push([element, true]);
    }
    for (const [element, visited] of states) {
      element.toggleAttribute("data-visited", visited);
      const name = (e) => describe(e) + (visited ? " (visited)" : "");
      const before = snapshot(element);
      element.focus({ preventScroll: true });
      if (document.activeElement !== element) continue; // not focusable after all
      checked += 1;
      const after = snapshot(element);
      const around = backgroundOf(element.parentElement || document.body);
      const candidates = [];
      if (after.outline && after.outlineKey !== before.outlineKey) candidates.push(["outline", after.outline]);
      for (const c of after.shadows) if (after.shadowKey !== before.shadowKey && c[3] > 0) candidates.push(["shadow", c]);
      if (hex(after.background) !== hex(before.background)) candidates.push(["background", after.background]);
      if (after.border && after.borderKey !== before.borderKey) candidates.push(["border", after.border]);
      if (!candidates.length) {
        problems.push(`${name(element)}: no visible focus indicator`);
      } else {
        const best = Math.max(...candidates.map(([, c]) => ratio(over(c, around), around)));
        if (best < 3) {
          const shown = candidates.map(([k, c]) => `${k} ${hex(c)}`).join(", ");
          problems.push(`${name(element)}: focus indicator (${shown}) is ${best.toFixed(2)}:1 against ${hex(around)}, needs 3:1`);
        }
      }
      for (const holder of textHolders(element)) {
        const style = getComputedStyle(holder);
        const background = backgroundOf(holder);
        const text = over(parse(style.color), background);
        const needed = isLarge(style) ? 3 : 4.5;
        const got = ratio(text, background);
        if (got < needed) {
          problems.push(`${name(element)}: focused text ${hex(text)} on ${hex(background)} is ${got.toFixed(2)}:1, needs ${needed}:1`);
        }
      }
      element.blur();
      element.removeAttribute("data-visited");
    }
    return { checked, problems };
  }

  function scrollsByDesign(element) {
    const labelled = element.getAttribute("role") === "region" &&
      (element.hasAttribute("aria-label") || element.hasAttribute("aria-labelledby"));
    return labelled && element.tabIndex === 0;
  }

  function reflow() {
    const problems = [];
    const root = document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth > width) {
      problems.push(`the page is ${root.scrollWidth}px wide in a ${width}px viewport`);
      const wide = [...document.body.querySelectorAll("*")].filter(
        (e) => visible(e) && e.getBoundingClientRect().right > width);
      // Report the innermost elements that stick out: those are the causes.
      // Text too long for its box (an unbroken address) overflows without widening the box.
      for (const e of document.body.querySelectorAll("*")) {
        if (visible(e) && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "visible" &&
            [...e.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim())) wide.push(e);
      }
      const causes = wide.filter((e) => !wide.some((o) => o !== e && e.contains(o)));
      for (const e of causes.slice(0, 5)) problems.push(`  sticks out: ${describe(e)} to ${Math.round(e.getBoundingClientRect().right)}px`);
    }
    for (const element of document.body.querySelectorAll("*")) {
      const overflowX = getComputedStyle(element).overflowX;
      if ((overflowX === "auto" || overflowX === "scroll") && element.scrollWidth > element.clientWidth + 1 &&
          !scrollsByDesign(element)) {
        problems.push(`${describe(element)} scrolls sideways but is not a labelled, focusable region`);
      }
    }
    return { checked: 1, problems };
  }

  window.pageChecks = { focus, reflow };
})();
