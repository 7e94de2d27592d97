/// A small XML writer for the dashboard's SVG: element names and attribute names are the caller's constants,
/// and every attribute value and every text goes through `escape`, so a label from the data (a short code, a
/// status, a date) can never open an element or close an attribute.
struct XMLWriter {
    private(set) var output = ""
    private var stack: [String] = []

    /// `&`, `<`, `>`, `"` and `'` as entities; control characters XML 1.0 forbids are dropped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }

    /// Whether `name` is a plain element or attribute name (letters, digits, `-`, `:`), as the code writes them.
    static func isName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLetter(first) else { return false }
        return name.utf8.allSatisfy { byte in
            isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ":")
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private mutating func start(_ name: String, _ attributes: [(String, String)]) {
        precondition(Self.isName(name), "an element name is a constant of the code")
        output += "<" + name
        for (attribute, value) in attributes {
            precondition(Self.isName(attribute), "an attribute name is a constant of the code")
            output += " " + attribute + "=\"" + Self.escape(value) + "\""
        }
    }

    /// Opens `<name …>`; `close()` ends it.
    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        start(name, attributes)
        output += ">"
        stack.append(name)
    }

    /// Ends the element opened last.
    mutating func close() {
        guard let name = stack.popLast() else { preconditionFailure("close() matches an open()") }
        output += "</" + name + ">"
    }

    /// `<name …>text</name>`, or `<name …/>` without text.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], text: String? = nil) {
        start(name, attributes)
        if let text {
            output += ">" + Self.escape(text) + "</" + name + ">"
        } else {
            output += "/>"
        }
    }

    /// The document, every element closed.
    mutating func finish() -> String {
        while !stack.isEmpty { close() }
        return output
    }
}

/// Charts drawn on the server as inline SVG, readable in black and white and by screen readers: a `role="img"`
/// with an `aria-label`, a `<title>` and a `<desc>`, and on every bar a `<title>` with its exact value. Bars are
/// told apart by gray level and hatching, never by color alone; values are written next to horizontal bars.
enum SVGChart {
    /// What the values are: amounts in cents (written `KES 1,234.50`) or counts (`1,234`).
    enum Unit: Sendable {
        case kes
        case count

        /// The exact value.
        func text(_ value: Int64) -> String {
            switch self {
            case .kes: return DashboardFormat.kes(minorUnits: value)
            case .count: return SVGChart.grouped(value)
            }
        }

        /// An axis tick: whole shillings or a count.
        func tickText(_ value: Int64) -> String {
            switch self {
            case .kes: return "KES " + SVGChart.grouped(value / 100)
            case .count: return SVGChart.grouped(value)
            }
        }

        /// The smallest step between ticks: a shilling or one.
        var stepMin: Int64 {
            switch self {
            case .kes: return 100
            case .count: return 1
            }
        }
    }

    struct Point: Sendable, Equatable {
        let label: String
        let value: Int64
    }

    /// The titles of a chart's axes: under the labels (`x`) and along the values, turned (`y`).
    struct Axes: Sendable, Equatable {
        let x: String
        let y: String
    }

    static let emptyMessage = "No payments in this period"
    static let width = 640
    static let fontSize = 12
    /// Fills of horizontal bars, in turn: gray levels, then the same grays hatched.
    static let grays = ["#1a1a1a", "#6e6e6e", "#b4b4b4"]

    /// `1,234,567`.
    static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var text = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    /// The axis of values up to `maximum`: 3 to 5 ticks from 0, evenly spaced by 1, 2 or 5 times a power of ten
    /// (times `unit.stepMin`), the last one at or above `maximum`.
    static func ticks(maximum: Int64, unit: Unit) -> [Int64] {
        let maximum = min(max(maximum, 0), Int64.max / 100)
        var power = unit.stepMin
        var step = power
        search: while true {
            for factor: Int64 in [1, 2, 5] {
                let (candidate, overflow) = power.multipliedReportingOverflow(by: factor)
                if overflow { break search }
                step = candidate
                if maximum / candidate + (maximum % candidate == 0 ? 0 : 1) <= 4 { break search }
            }
            let (next, overflow) = power.multipliedReportingOverflow(by: 10)
            if overflow { break }
            power = next
        }
        let intervals = max(2, (maximum / step) + (maximum % step == 0 ? 0 : 1))
        return (0...intervals).map { $0 * step }
    }

    /// Which labels of `count` an axis of `room` pixels writes: every `k`-th so that each has `labelWidth`.
    static func labelStride(count: Int, room: Int, labelWidth: Int) -> Int {
        let fitting = max(1, room / max(labelWidth, 1))
        return max(1, (count + fitting - 1) / fitting)
    }

    static func begin(
        _ writer: inout XMLWriter, id: String, title: String, description: String, height: Int
    ) {
        writer.open(
            "svg",
            [
                ("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(width) \(height)"), ("width", "100%"),
                ("role", "img"), ("aria-label", title), ("aria-describedby", id + "-desc"), ("class", "chart"),
                ("font-family", "system-ui, sans-serif"), ("font-size", String(fontSize)),
            ])
        writer.element("title", [("id", id + "-title")], text: title)
        writer.element("desc", [("id", id + "-desc")], text: description)
    }

    static func empty(id: String, title: String, description: String, message: String) -> String {
        var writer = XMLWriter()
        begin(&writer, id: id, title: title, description: description + " " + message + ".", height: 80)
        writer.element(
            "rect",
            [
                ("x", "0.5"), ("y", "0.5"), ("width", String(width - 1)), ("height", "79"),
                ("fill", "#ffffff"), ("stroke", "#6e6e6e"), ("stroke-dasharray", "4 3"),
            ])
        writer.element(
            "text", [("x", String(width / 2)), ("y", "45"), ("text-anchor", "middle"), ("fill", "#1a1a1a")],
            text: message)
        return writer.finish()
    }

    /// Vertical bars, one a point in order (days): a value axis with rounded ticks and grid lines, the labels
    /// under the bars thinned to fit, each bar's exact value in its `<title>`, and the axes' titles when given.
    /// `id` is unique in the page.
    static func bars(
        id: String, title: String, description: String, points: [Point], unit: Unit,
        emptyMessage: String = SVGChart.emptyMessage, axes: Axes? = nil
    ) -> String {
        guard !points.isEmpty else {
            return empty(id: id, title: title, description: description, message: emptyMessage)
        }
        let ticks = Self.ticks(maximum: points.map(\.value).max() ?? 0, unit: unit)
        let top = ticks.last ?? 1
        let tickTexts = ticks.map(unit.tickText)
        let axisRoom = axes == nil ? 0 : fontSize + 8
        let left = 12 + axisRoom + (tickTexts.map(\.count).max() ?? 1) * fontSize * 6 / 10
        let (plotTop, plotBottom, right) = (12, 200, width - 12)
        let height = plotBottom + 40 + axisRoom
        let plotHeight = plotBottom - plotTop
        let slot = Double(right - left) / Double(points.count)
        var writer = XMLWriter()
        begin(&writer, id: id, title: title, description: description, height: height)
        writer.open("g", [("aria-hidden", "true")])
        for (tick, text) in zip(ticks, tickTexts) {
            let y = plotBottom - Int(Double(tick) / Double(top) * Double(plotHeight))
            writer.element(
                "line",
                [
                    ("x1", String(left)), ("x2", String(right)), ("y1", String(y)),
                    ("y2", String(y)), ("stroke", tick == 0 ? "#1a1a1a" : "#d0d0d0"),
                ])
            writer.element("text", [("x", String(left - 6)), ("y", String(y + 4)), ("text-anchor", "end")], text: text)
        }
        let every = labelStride(count: points.count, room: right - left, labelWidth: 80)
        for (index, point) in points.enumerated() where index % every == 0 {
            let x = left + Int(slot * (Double(index) + 0.5))
            writer.element(
                "line",
                [
                    ("x1", String(x)), ("x2", String(x)), ("y1", String(plotBottom)),
                    ("y2", String(plotBottom + 4)), ("stroke", "#1a1a1a"),
                ])
            // A label that would run past the chart's right edge is left out (its tick stays).
            guard x + point.label.count * fontSize * 3 / 10 <= width else { continue }
            writer.element(
                "text", [("x", String(x)), ("y", String(plotBottom + 18)), ("text-anchor", "middle")],
                text: point.label)
        }
        if let axes {
            writer.element(
                "text",
                [("x", String((left + right) / 2)), ("y", String(plotBottom + 40)), ("text-anchor", "middle")],
                text: axes.x)
            writer.element(
                "text",
                [
                    ("transform", "translate(\(fontSize + 2) \((plotTop + plotBottom) / 2)) rotate(-90)"),
                    ("text-anchor", "middle"),
                ], text: axes.y)
        }
        writer.close()
        writer.open("g", [("class", "bars")])
        let barWidth = max(1, slot * 0.7)
        for (index, point) in points.enumerated() {
            let barHeight = Double(max(point.value, 0)) / Double(top) * Double(plotHeight)
            let x = Double(left) + slot * Double(index) + (slot - barWidth) / 2
            writer.open(
                "rect",
                [
                    ("x", coordinate(x)), ("y", coordinate(Double(plotBottom) - barHeight)),
                    ("width", coordinate(barWidth)),
                    ("height", coordinate(barHeight)), ("fill", grays[1]), ("stroke", grays[0]),
                    ("stroke-width", "0.5"),
                ])
            writer.element("title", text: point.label + ": " + unit.text(point.value))
            writer.close()
        }
        writer.close()
        return writer.finish()
    }

    /// Horizontal bars, one a category, its label before it and its exact value after it (and in its `<title>`);
    /// fills go through the gray levels, then the same hatched. `id` is unique in the page.
    static func horizontalBars(
        id: String, title: String, description: String, points: [Point], unit: Unit,
        emptyMessage: String = SVGChart.emptyMessage
    ) -> String {
        guard !points.isEmpty else {
            return empty(id: id, title: title, description: description, message: emptyMessage)
        }
        let labelChars = 22
        let labels = points.map { shortened($0.label, to: labelChars) }
        let left = 12 + min(labelChars, labels.map(\.count).max() ?? 1) * fontSize * 6 / 10
        let valueRoom = 12 + (points.map { unit.text($0.value).count }.max() ?? 1) * fontSize * 6 / 10
        let room = Double(width - 12 - valueRoom - left)
        let (rowHeight, barHeight, topMargin) = (26, 18, 6)
        let height = topMargin * 2 + rowHeight * points.count
        let maximum = max(points.map(\.value).max() ?? 0, 1)
        var writer = XMLWriter()
        begin(&writer, id: id, title: title, description: description, height: height)
        writer.open("defs")
        for (index, gray) in grays.enumerated() {
            writer.open(
                "pattern",
                [
                    ("id", "\(id)-hatch\(index)"), ("width", "6"), ("height", "6"),
                    ("patternUnits", "userSpaceOnUse"), ("patternTransform", "rotate(45)"),
                ])
            writer.element("rect", [("width", "6"), ("height", "6"), ("fill", "#ffffff")])
            writer.element("rect", [("width", "3"), ("height", "6"), ("fill", gray)])
            writer.close()
        }
        writer.close()
        for (index, point) in points.enumerated() {
            let y = topMargin + rowHeight * index
            let length = Double(max(point.value, 0)) / Double(maximum) * room
            let fill = index < grays.count ? grays[index] : "url(#\(id)-hatch\(index % grays.count))"
            writer.element(
                "text", [("x", String(left - 6)), ("y", String(y + barHeight - 5)), ("text-anchor", "end")],
                text: labels[index])
            writer.open(
                "rect",
                [
                    ("x", String(left)), ("y", String(y)), ("width", coordinate(max(length, 1))),
                    ("height", String(barHeight)), ("fill", fill), ("stroke", grays[0]), ("stroke-width", "0.5"),
                ])
            writer.element("title", text: point.label + ": " + unit.text(point.value))
            writer.close()
            writer.element(
                "text", [("x", coordinate(Double(left) + max(length, 1) + 6)), ("y", String(y + barHeight - 5))],
                text: unit.text(point.value))
        }
        return writer.finish()
    }

    /// `text` cut to `count` characters, the last one an ellipsis when cut.
    static func shortened(_ text: String, to count: Int) -> String {
        text.count <= count ? text : String(text.prefix(count - 1)) + "…"
    }

    /// A coordinate to a tenth of a pixel.
    static func coordinate(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        let magnitude = tenths.magnitude
        let whole = (tenths < 0 ? "-" : "") + String(magnitude / 10)
        return magnitude % 10 == 0 ? whole : whole + "." + String(magnitude % 10)
    }
}
