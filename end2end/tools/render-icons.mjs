// Renders the PNG app icons of public/ from public/icon.svg with Debian's
// Chromium (`node end2end/tools/render-icons.mjs`). The
// maskable icon keeps the mark inside the central safe zone (80 %).
import { chromium } from "@playwright/test";
import { readFileSync } from "node:fs";

const svg = readFileSync(new URL("../../public/icon.svg", import.meta.url), "utf8");
const mark = svg.replace(/<rect[^>]*\/>/, "");
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage();
const shots = [
  ["icon-192.png", 192, svg, "transparent"],
  ["icon-512.png", 512, svg, "transparent"],
  ["icon-maskable-512.png", 512, mark, "#0b5d5b"],
];
for (const [name, size, source, background] of shots) {
  const inner = background === "transparent" ? size : Math.round(size * 0.7);
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<html><body style="margin:0;width:${size}px;height:${size}px;display:grid;place-items:center;background:${background}">` +
      source.replace("<svg ", `<svg width="${inner}" height="${inner}" `) +
      "</body></html>",
  );
  await page.screenshot({
    path: new URL(`../../public/${name}`, import.meta.url).pathname,
    omitBackground: background === "transparent",
  });
}
await browser.close();
