import Foundation
import Testing

@testable import PesaAPI

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The dashboard's SVG charts and their element writer: escaping, axes, one bar a value, well-formed XML.
@Suite struct SVGChartTests {
    static let hostile = "<script>alert('x')</script> & \"co\""

    /// Whether `text` parses as XML, and the texts of its `<title>` elements.
    static func parse(_ text: String) -> (wellFormed: Bool, titles: [String]) {
        final class Titles: NSObject, XMLParserDelegate {
            var titles: [String] = []
            var current: String?
            func parser(
                _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]
            ) {
                if name == "title" { current = "" }
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) {
                current? += string
            }
            func parser(
                _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
            ) {
                if name == "title", let current { titles.append(current) }
                current = nil
            }
        }
        let parser = XMLParser(data: Data(text.utf8))
        let delegate = Titles()
        parser.delegate = delegate
        let wellFormed = parser.parse()
        return (wellFormed, delegate.titles)
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func theWriterEscapesEveryTextAndAttributeValue() {
        #expect(XMLWriter.escape("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;")
        #expect(XMLWriter.escape("plain 2026-05-01") == "plain 2026-05-01")
        #expect(XMLWriter.escape("bell\u{7}") == "bell")
        var writer = XMLWriter()
        writer.open("g", [("aria-label", Self.hostile)])
        writer.element("text", [("x", "1")], text: Self.hostile)
        writer.element("rect", [("width", "2")])
        let output = writer.finish()
        #expect(
            output
                == "<g aria-label=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;\">"
                + "<text x=\"1\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;</text>"
                + "<rect width=\"2\"/></g>")
        #expect(XMLWriter.isName("stroke-width"))
        #expect(!XMLWriter.isName("x onload"))
        #expect(!XMLWriter.isName("a\"b"))
    }

    @Test(arguments: [Int64(0), 1, 7, 99, 100, 101, 123_450, 740_700, 999_999, 1_000_000, 987_654_321, .max])
    func ticksAreRoundedOrderedAndCoverTheMaximum(maximum: Int64) {
        for unit in [SVGChart.Unit.kes, .count] {
            let ticks = SVGChart.ticks(maximum: maximum, unit: unit)
            #expect((3...5).contains(ticks.count), "\(maximum) \(unit): \(ticks)")
            #expect(ticks.first == 0)
            #expect(ticks == ticks.sorted() && Set(ticks).count == ticks.count)
            #expect((ticks.last ?? 0) >= min(maximum, Int64.max / 100))
            let step = ticks[1]
            #expect(ticks.enumerated().allSatisfy { $0.element == Int64($0.offset) * step })
            // A step is 1, 2 or 5 times a power of ten (of shillings for amounts).
            var mantissa = step / unit.stepMin
            while mantissa >= 10, mantissa % 10 == 0 { mantissa /= 10 }
            #expect([1, 2, 5].contains(mantissa), "\(maximum) \(unit): step \(step)")
        }
        #expect(SVGChart.ticks(maximum: 740_700, unit: .kes) == [0, 200_000, 400_000, 600_000, 800_000])
        #expect(SVGChart.ticks(maximum: 3, unit: .count) == [0, 1, 2, 3])
        #expect(SVGChart.Unit.kes.tickText(200_000) == "KES 2,000")
        #expect(SVGChart.Unit.count.tickText(1_234_567) == "1,234,567")
    }

    @Test func aBarChartHasOneBarAValueWithItsExactValueInItsTitle() {
        let points = (1...40).map { SVGChart.Point(label: "2026-04-\($0)", value: Int64($0) * 12_345) }
        let svg = SVGChart.bars(
            id: "c1", title: "Volume by day", description: "Each day.", points: points, unit: .kes)
        let (wellFormed, titles) = Self.parse(svg)
        #expect(wellFormed)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-label=\"Volume by day\""))
        #expect(svg.contains("<desc id=\"c1-desc\">Each day.</desc>"))
        #expect(Self.count("<rect", in: svg) == 40)
        #expect(titles.first == "Volume by day")
        #expect(Array(titles.dropFirst()) == points.map { "\($0.label): \(DashboardFormat.kes(minorUnits: $0.value))" })
        #expect(titles.contains("2026-04-40: KES 4,938.00"))
        // 40 dates do not fit under the bars: every few is written, the first one included.
        let written = points.filter { svg.contains(">\($0.label)</text>") }
        #expect(written.count < 10 && written.count >= 4)
        #expect(written.first == points.first)
        // The axis: 3 to 5 rounded ticks in shillings, in order from 0.
        let ticks = SVGChart.ticks(maximum: 40 * 12_345, unit: .kes).map(SVGChart.Unit.kes.tickText)
        #expect(ticks == ["KES 0", "KES 2,000", "KES 4,000", "KES 6,000"])
        let positions = ticks.compactMap { svg.range(of: ">\($0)</text>")?.lowerBound }
        #expect(positions.count == ticks.count && positions == positions.sorted())
        #expect(!svg.contains("style="))
    }

    @Test func aHorizontalChartWritesEachLabelAndValueBesideItsBar() {
        let points = ["succeeded", "failed", "pending", "timeout", "reversed"].enumerated().map {
            SVGChart.Point(label: $0.element, value: Int64($0.offset * 3))
        }
        let svg = SVGChart.horizontalBars(
            id: "c2", title: "By status", description: "Counts.", points: points, unit: .count)
        let (wellFormed, titles) = Self.parse(svg)
        #expect(wellFormed)
        #expect(Self.count("<rect x=", in: svg) == 5)
        #expect(Array(titles.dropFirst()) == points.map { "\($0.label): \($0.value)" })
        for point in points {
            #expect(svg.contains(">\(point.label)</text>"))
            #expect(svg.contains(">\(point.value)</text>"))
        }
        // Three gray levels, then hatching: never color alone.
        #expect(svg.contains("fill=\"url(#c2-hatch0)\""))
        #expect(svg.contains("<pattern id=\"c2-hatch0\""))
        #expect(Set(SVGChart.grays).count == SVGChart.grays.count)
    }

    @Test func labelsFromTheDataAreEscaped() {
        let points = [SVGChart.Point(label: Self.hostile, value: 5), SVGChart.Point(label: "A&B", value: 1)]
        for svg in [
            SVGChart.bars(id: "e1", title: "T & <t>", description: "D", points: points, unit: .count),
            SVGChart.horizontalBars(id: "e2", title: "T", description: "<d>", points: points, unit: .kes),
        ] {
            #expect(!svg.contains("<script"))
            #expect(!svg.contains("A&B"))
            #expect(svg.contains("A&amp;B"))
            #expect(svg.contains("&lt;script&gt;") || svg.contains("&lt;script&gt;alert"))
            let (wellFormed, titles) = Self.parse(svg)
            #expect(wellFormed)
            #expect(titles.contains { $0.hasPrefix("<script>alert('x')") })
            #expect(titles.contains { $0.hasPrefix("A&B: ") })
        }
    }

    @Test func noDataSaysSo() {
        for svg in [
            SVGChart.bars(id: "n1", title: "Volume", description: "By day.", points: [], unit: .kes),
            SVGChart.horizontalBars(id: "n2", title: "Status", description: "Counts.", points: [], unit: .count),
        ] {
            #expect(svg.contains(">No payments in this period</text>"))
            #expect(svg.contains("role=\"img\""))
            #expect(Self.parse(svg).wellFormed)
        }
        let other = SVGChart.horizontalBars(
            id: "n3", title: "T", description: "D", points: [], unit: .count, emptyMessage: "None & nothing")
        #expect(other.contains(">None &amp; nothing</text>"))
    }

    @Test func longLabelsAreShortenedButKeptWholeInTheirTitle() {
        let label = String(repeating: "x", count: 40)
        let svg = SVGChart.horizontalBars(
            id: "l", title: "T", description: "D", points: [.init(label: label, value: 2)], unit: .count)
        #expect(svg.contains(">" + String(repeating: "x", count: 21) + "…</text>"))
        #expect(Self.parse(svg).titles.contains(label + ": 2"))
        #expect(SVGChart.coordinate(12.34) == "12.3")
        #expect(SVGChart.coordinate(-0.5) == "-0.5")
        #expect(SVGChart.coordinate(7) == "7")
        #expect(SVGChart.grouped(-1_234_567) == "-1,234,567")
    }
}

/// The axes' titles of a bar chart.
@Suite struct SVGChartAxesTests {
    @Test func barsNameTheirAxesWhenAskedEscapedAndWellFormed() {
        let points = (1...31).map { SVGChart.Point(label: String(format: "2026-12-%02d", $0), value: Int64($0 % 4)) }
        let svg = SVGChart.bars(
            id: "d", title: "Transactions a day", description: "Each day.", points: points, unit: .count,
            axes: SVGChart.Axes(x: "Day <EAT>", y: "Transactions & more"))
        let parsed = SVGChartTests.parse(svg)
        #expect(parsed.wellFormed)
        #expect(parsed.titles.first == "Transactions a day")
        #expect(parsed.titles.count == 32)
        #expect(parsed.titles.contains("2026-12-03: 3"))
        #expect(svg.contains(">Day &lt;EAT&gt;</text>"))
        // Labels thinned to every fifth day; the last one, which would run past the right edge, left out.
        #expect(svg.contains(">2026-12-26</text>"))
        #expect(!svg.contains(">2026-12-31</text>"))
        #expect(parsed.titles.contains("2026-12-31: 3"))
        #expect(svg.contains("rotate(-90)\" text-anchor=\"middle\">Transactions &amp; more</text>"))
        // Room for the titles: the chart is taller than one without them, and the bars the same count.
        let plain = SVGChart.bars(id: "d", title: "t", description: "d", points: points, unit: .count)
        #expect(svg.contains("viewBox=\"0 0 640 260\""))
        #expect(plain.contains("viewBox=\"0 0 640 240\""))
        #expect(SVGChartTests.count("<rect ", in: svg) == 31)
        #expect(!plain.contains("rotate(-90)"))
        // Black and white: the bars are gray with a dark outline, no color.
        #expect(svg.contains("fill=\"#6e6e6e\" stroke=\"#1a1a1a\""))
    }
}
