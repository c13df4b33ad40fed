#!/usr/bin/python3
"""The bench_render page with ReportLab, for comparison.

    rl_table.py N OUTDIR [FONT [FACE]]

Draws the same one-page table (31 rows of Chinese, same strings, same
column widths, same embedded subset TrueType font) N times with platypus
and prints "reportlab cpu_ms_per_page=... wall_ms_per_page=... bytes=..."
like bench_render.
"""
import sys
import time

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.lib.styles import ParagraphStyle

ITEMS = ["卷烟销售总量", "一类烟销量", "二类烟销量", "三类烟销量",
         "四五类烟销量", "低焦油卷烟销量", "重点品牌销量", "重点品牌上柜率",
         "单箱销售额", "订单满足率", "客户拜访完成率", "新品铺货率",
         "市场价格稳定率", "客户满意度", "信息采集及时率", "零售户档案完整率"]


def rows():
    out = [["序号", "考核项目", "目标", "完成", "完成率", "得分"]]
    for i in range(31):
        out.append([str(i + 1), ITEMS[i % 16], "%d.00" % (1200 + 37 * i),
                    "%d.50" % (1100 + 41 * i),
                    "%d.%02d%%" % (85 + i % 20, (7 * i) % 100),
                    "%d.%02d" % (2 + i % 9, (13 * i) % 100)])
    return out


def render(path):
    doc = SimpleDocTemplate(path, pagesize=A4, leftMargin=15 * mm,
                            rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=18 * mm,
                            title="个人月度考核表 2013-05 KM001",
                            author="某某县烟草专卖局营销中心",
                            creator="bench", invariant=1)
    h1 = ParagraphStyle("h1", fontName="wqy", fontSize=16, alignment=1,
                        leading=21)
    p = ParagraphStyle("p", fontName="wqy", fontSize=10, leading=13.5)
    width = A4[0] - 30 * mm
    widths = [32, width - 32 - 62 - 62 - 56 - 50, 62, 62, 56, 50]
    table = Table(rows(), colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "wqy", 9.5),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.85, 0.85, 0.85)),
        ("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.92, 0.92, 0.92)),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 1), (0, -1), "RIGHT"),
    ]))

    def footer(canvas, _doc):
        canvas.setFont("wqy", 9)
        canvas.drawString(15 * mm, 12 * mm, "生成于 2013-06-01 08:00 输入指纹 3f2a9c01")
        canvas.drawRightString(A4[0] - 15 * mm, 12 * mm, "第 %d 页 共 1 页" % _doc.page)

    doc.build([Paragraph("个人月度考核表（2013年5月）", h1), Spacer(1, 4),
               Paragraph("客户经理：张三（KM001）  片区：城区一组  状态：定稿", p),
               Spacer(1, 6), table], onFirstPage=footer, onLaterPages=footer)


def main():
    n = int(sys.argv[1])
    outdir = sys.argv[2]
    font = sys.argv[3] if len(sys.argv) > 3 else \
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
    face = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    pdfmetrics.registerFont(TTFont("wqy", font, subfontIndex=face))
    path = "%s/rl-bench.pdf" % outdir
    render(path)                      # warm-up: font parsing is cached
    t0 = time.perf_counter()
    c0 = time.process_time()
    for i in range(n):
        path = "%s/rl-bench-%d.pdf" % (outdir, i)
        render(path)
    ms = (time.perf_counter() - t0) * 1000.0 / n
    cpu = (time.process_time() - c0) * 1000.0 / n
    with open(path, "rb") as f:
        size = len(f.read())
    print("reportlab cpu_ms_per_page=%.2f wall_ms_per_page=%.2f bytes=%d"
          % (cpu, ms, size))


if __name__ == "__main__":
    main()
