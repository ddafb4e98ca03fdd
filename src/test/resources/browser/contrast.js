// The WCAG contrast ratio of an element's text against what is painted behind it: the background
// colours of the element and its ancestors, composited from the page's down (translucent ones
// blend). Returns {text, background, ratio, luminance} or throws on a colour it cannot read.
const element = arguments[0];
const parse = css => {
  const m = css.match(/rgba?\(([\d.]+),?\s*([\d.]+),?\s*([\d.]+)(?:\s*[,/]\s*([\d.]+))?\)/);
  if (!m) throw new Error('unreadable colour: ' + css);
  return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
};
const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
const luminance = c => {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const chain = [];
for (let el = element; el && el.nodeType === 1; el = el.parentElement) chain.push(el);
// the canvas behind the page: the browser's, which follows the used colour scheme
const scheme = getComputedStyle(document.documentElement).colorScheme;
const dark = matchMedia('(prefers-color-scheme: dark)').matches;
const canvasDark = scheme.includes('dark') && (!scheme.includes('light') || dark);
let background = canvasDark ? [18, 18, 18, 1] : [255, 255, 255, 1];
for (const el of chain.reverse()) {
  background = over(parse(getComputedStyle(el).backgroundColor), background);
}
const text = over(parse(getComputedStyle(element).color), background);
const [hi, lo] = [luminance(text), luminance(background)].sort((a, b) => b - a);
return {text: text.map(Math.round).join(','), background: background.map(Math.round).join(','),
        ratio: (hi + 0.05) / (lo + 0.05), luminance: luminance(background)};
