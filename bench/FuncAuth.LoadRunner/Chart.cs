using System.Globalization;
using System.Net;
using System.Text;

namespace FuncAuth.LoadRunner;

/// <summary>
/// The report's chart, drawn as SVG text: throughput (left) and p99 latency (right) against connections, one line
/// per target, both axes logarithmic so login's tens and the bare endpoint's tens of thousands fit one picture.
/// </summary>
internal static class Chart
{
    private const double PanelWidth = 470;
    private const double PanelHeight = 300;
    private const double Left = 70;
    private const double Top = 62;
    private const double Gap = 90;
    private const int LegendColumns = 4;

    private static readonly string[] Colours =
        ["#7f7f7f", "#1f77b4", "#ff7f0e", "#bcbcbc", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    public static string Draw(IReadOnlyList<Figure> figures, string title)
    {
        var series = figures.GroupBy(f => f.Target).Select(g => (Name: g.Key.Name, Points: g.OrderBy(f => f.Connections).ToArray())).ToArray();
        var dashes = figures.Select(f => f.Target).Distinct().Select(t => t.Kind == TargetKind.Bare ? "6 4" : null).ToArray();
        var connections = figures.Select(f => f.Connections).Distinct().Order().ToArray();
        var legendRows = (series.Length + LegendColumns - 1) / LegendColumns;
        var width = Left + (2 * PanelWidth) + Gap + 30;
        var height = Top + PanelHeight + 60 + (legendRows * 20) + 10;

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:F0}\" height=\"{height:F0}\" viewBox=\"0 0 {width:F0} {height:F0}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{width:F0}\" height=\"{height:F0}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{width / 2:F0}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n"));

        Panel(svg, Left, "Throughput (requests/s, median)", connections, dashes, series.Select(s => (s.Name, s.Points.Select(p => (p.Connections, p.RequestsPerSecond)).ToArray())).ToArray());
        Panel(svg, Left + PanelWidth + Gap, "p99 latency (ms, median of runs)", connections, dashes, series.Select(s => (s.Name, s.Points.Where(p => p.Requests > 0).Select(p => (p.Connections, p.P99Milliseconds)).ToArray())).ToArray());

        var columnWidth = ((2 * PanelWidth) + Gap) / LegendColumns;
        for (var i = 0; i < series.Length; i++)
        {
            var x = Left + (i % LegendColumns * columnWidth);
            var y = Top + PanelHeight + 60 + (i / LegendColumns * 20);
            svg.Append(Invariant($"<line x1=\"{x:F1}\" y1=\"{y - 4:F1}\" x2=\"{x + 24:F1}\" y2=\"{y - 4:F1}\" stroke=\"{Colour(i)}\" stroke-width=\"2.5\"{Dash(dashes[i])}/>"));
            svg.Append(Invariant($"<circle cx=\"{x + 12:F1}\" cy=\"{y - 4:F1}\" r=\"3\" fill=\"{Colour(i)}\"/>"));
            svg.Append(Invariant($"<text x=\"{x + 32:F1}\" y=\"{y:F1}\">{Escape(series[i].Name)}</text>\n"));
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, double left, string caption, int[] connections, string?[] dashes, (string Name, (int X, double Y)[] Points)[] series)
    {
        var values = series.SelectMany(s => s.Points).Select(p => p.Y).Where(v => v > 0 && double.IsFinite(v)).ToArray();
        var low = values.Length == 0 ? 0 : Math.Floor(Math.Log10(values.Min()));
        var high = values.Length == 0 ? 1 : Math.Ceiling(Math.Log10(values.Max()));
        if (high <= low)
        {
            high = low + 1;
        }

        var minX = Math.Log2(connections.Min());
        var maxX = Math.Max(minX + 1, Math.Log2(connections.Max()));
        double X(int c) => left + ((Math.Log2(c) - minX) / (maxX - minX) * PanelWidth);
        double Y(double v) => Top + PanelHeight - ((Math.Log10(v) - low) / (high - low) * PanelHeight);

        svg.Append(Invariant($"<text x=\"{left + (PanelWidth / 2):F1}\" y=\"{Top - 12:F1}\" text-anchor=\"middle\" font-weight=\"bold\">{Escape(caption)}</text>\n"));
        svg.Append(Invariant($"<rect x=\"{left:F1}\" y=\"{Top:F1}\" width=\"{PanelWidth:F1}\" height=\"{PanelHeight:F1}\" fill=\"none\" stroke=\"#333\"/>\n"));
        for (var decade = low; decade <= high; decade++)
        {
            foreach (var step in new[] { 1, 2, 5 })
            {
                var value = step * Math.Pow(10, decade);
                if (Math.Log10(value) > high + 1e-9)
                {
                    continue;
                }

                var y = Y(value);
                svg.Append(Invariant($"<line x1=\"{left:F1}\" y1=\"{y:F1}\" x2=\"{left + PanelWidth:F1}\" y2=\"{y:F1}\" stroke=\"{(step == 1 ? "#ccc" : "#eee")}\"/>"));
                svg.Append(Invariant($"<text x=\"{left - 6:F1}\" y=\"{y + 4:F1}\" text-anchor=\"end\" fill=\"#333\">{Number(value)}</text>\n"));
            }
        }

        foreach (var c in connections)
        {
            var x = X(c);
            svg.Append(Invariant($"<line x1=\"{x:F1}\" y1=\"{Top:F1}\" x2=\"{x:F1}\" y2=\"{Top + PanelHeight:F1}\" stroke=\"#eee\"/>"));
            svg.Append(Invariant($"<text x=\"{x:F1}\" y=\"{Top + PanelHeight + 16:F1}\" text-anchor=\"middle\" fill=\"#333\">{c}</text>\n"));
        }

        svg.Append(Invariant($"<text x=\"{left + (PanelWidth / 2):F1}\" y=\"{Top + PanelHeight + 34:F1}\" text-anchor=\"middle\">connections</text>\n"));
        for (var i = 0; i < series.Length; i++)
        {
            var points = series[i].Points.Where(p => p.Y > 0 && double.IsFinite(p.Y)).ToArray();
            if (points.Length > 1)
            {
                svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{Colour(i)}\" stroke-width=\"2\"{Dash(dashes[i])} points=\"{string.Join(' ', points.Select(p => Invariant($"{X(p.X):F1},{Y(p.Y):F1}")))}\"/>\n"));
            }

            foreach (var (c, value) in points)
            {
                svg.Append(Invariant($"<circle cx=\"{X(c):F1}\" cy=\"{Y(value):F1}\" r=\"3\" fill=\"{Colour(i)}\"><title>{Escape(series[i].Name)}, {c} connections: {Number(value)}</title></circle>\n"));
            }
        }
    }

    private static string Colour(int index) => Colours[index % Colours.Length];

    private static string Dash(string? pattern) => pattern is null ? string.Empty : $" stroke-dasharray=\"{pattern}\"";

    private static string Number(double value) => value switch
    {
        >= 1_000_000 => Invariant($"{value / 1_000_000:0.##}M"),
        >= 1_000 => Invariant($"{value / 1_000:0.##}k"),
        >= 1 => Invariant($"{value:0.##}"),
        _ => Invariant($"{value:0.###}"),
    };

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
