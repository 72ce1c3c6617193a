"""The council report's only style sheet: readable on a screen, clean on A4 paper."""

STYLE = """
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font: 14px/1.45 "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: #1d2730;
  max-width: 1040px; margin: 0 auto; padding: 24px; }
header { border-bottom: 4px solid #1a5a96; margin-bottom: 12px; }
h1 { font-size: 26px; margin: 0 0 4px; color: #1a5a96; }
h2 { font-size: 18px; margin: 18px 0 8px; color: #1a5a96; }
.sub { font-size: 17px; margin: 0; }
.meta, .note { color: #5a6772; font-size: 12.5px; }
.empty { font-size: 16px; font-style: italic; }
section { break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; margin: 6px 0 10px; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #dde3e8; text-align: left;
  vertical-align: top; }
th { background: #eef3f7; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 6px 0; }
figure svg:first-child { width: 100%; max-width: 620px; height: auto; }
figure .buurten path { stroke: #7d8d99; stroke-width: .5; }
figure .wijken path { stroke: #1d2730; stroke-width: 1.4; }
figcaption { font-size: 12.5px; color: #5a6772; }
.pair { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
.pair figure { flex: 1 1 360px; }
.split { display: flex; flex-wrap: wrap; gap: 24px; }
.split > div { flex: 1 1 420px; }
svg.chart { max-width: 100%; height: auto; }
.notes ol { font-size: 12px; color: #3e4a54; padding-left: 18px; }
details summary { cursor: pointer; color: #5a6772; font-size: 12.5px; }
@media print {
  body { padding: 0; max-width: none; font-size: 11.5px; }
  details > summary { display: none; }
  h2 { margin-top: 12px; }
}
"""
