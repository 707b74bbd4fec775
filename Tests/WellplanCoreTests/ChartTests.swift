import Foundation
import Testing

@testable import WellplanCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Every chart and map is drawn by one type (`BarChart`, `LineChart`, `AreaMap`) for pages, downloads and
/// reports alike, so these checks cover every place a picture appears.
@Suite struct ChartTests {
    /// Reads markup as XML and gives back the text of every element and attribute, so a test can see that what
    /// went in as text came out as text, never as markup.
    final class Reader: NSObject, XMLParserDelegate {
        var texts: [String] = []
        var elements: [String] = []
        /// The parser hands text over in pieces (an entity is a piece of its own): joined up to each tag.
        var pending = ""
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            flush()
            elements.append(name)
            texts += attributes.values
        }
        func parser(
            _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
        ) { flush() }
        func parser(_ parser: XMLParser, foundCharacters string: String) { pending += string }
        func flush() {
            if !pending.isEmpty { texts.append(pending) }
            pending = ""
        }

        static func read(_ markup: String) -> Reader? {
            let reader = Reader()
            let parser = XMLParser(data: Data(markup.utf8))
            parser.delegate = reader
            return parser.parse() ? reader : nil
        }
    }

    /// Names a hostile or careless source might give: markup, quotes, entities, and look-alike characters.
    static let awkwardNames = [
        "<script>alert(1)</script>", "Tom & Jerry's \"place\"", "a > b < c", "&amp; already escaped",
        "＜script＞ full-width", "Québec – Île-d’Orléans", "\u{202E}reversed", "]]> <![CDATA[",
    ]

    static func pictures(named name: String) -> [String] {
        let bars = BarChart(
            id: "c", title: name, description: name,
            bars: [
                .init(label: name, value: 3, text: name), .init(label: name, value: nil, text: name),
            ], reference: .init(value: 2, label: name))
        let format = FigureFormat(decimals: 0, unit: .count, language: .en)
        let line = LineChart(
            periods: [.year(2023), .year(2024)], actual: [.year(2023): 1, .year(2024): 2], target: [.year(2024): 3],
            format: format, names: (name, name))
        let square = Shape(polygons: [
            [
                [
                    Position(longitude: 0, latitude: 0), Position(longitude: 1, latitude: 0),
                    Position(longitude: 1, latitude: 1), Position(longitude: 0, latitude: 0),
                ]
            ]
        ])
        let frame = MapFrame(bounds: square.bounds)
        let map = AreaMap(
            id: "m", title: name, description: name, frame: frame,
            areas: [.init(path: frame.path(square), fill: AreaMap.withheld, label: name)],
            cells: [.init(x: 1, y: 2, width: 3, height: 4, fill: "#ffffff", label: name)],
            sites: [.init(x: 5, y: 6, label: name)], legend: [.init(fill: "#ffffff", range: name)])
        return [bars.figure, line.svg(id: "l", title: name, description: name), map.figure]
    }

    @Test(arguments: awkwardNames)
    func everyPictureIsWellFormedAndKeepsATextAsText(name: String) throws {
        for picture in Self.pictures(named: name) {
            let reader = try #require(Reader.read(picture), "not well-formed: \(picture.prefix(200))")
            #expect(reader.texts.contains(name))
            #expect(!reader.elements.contains("script"))
            #expect(reader.elements.contains("title") && reader.elements.contains("desc"))
        }
    }

    @Test func aWithheldBarIsSaidInWordsAndTheOthersAreInProportion() throws {
        let chart = BarChart(
            id: "c", title: "Counts", description: "Counts by area",
            bars: [
                .init(label: "North", value: 40, text: "40"), .init(label: "South", value: 20, text: "20"),
                .init(label: "East", value: nil, text: "withheld"),
            ])
        let figure = chart.figure
        let widths = figure.matches(of: /<rect x="220" y="[0-9.]+" width="([0-9.]+)"/).compactMap {
            Double($0.output.1)
        }
        #expect(widths.count == 2 && widths[0] == 2 * widths[1])
        #expect(figure.contains("font-style=\"italic\">withheld</text>"))
        #expect(figure.hasPrefix("<figure class=\"chart\">") && figure.contains("<figcaption>Counts</figcaption>"))
    }

    @Test func aMapNamesEveryAreaAndListsEveryKey() throws {
        let square = Shape(polygons: [
            [
                [
                    Position(longitude: 0, latitude: 0), Position(longitude: 1, latitude: 0),
                    Position(longitude: 1, latitude: 1), Position(longitude: 0, latitude: 0),
                ]
            ]
        ])
        let frame = MapFrame(bounds: square.bounds)
        let map = AreaMap(
            id: "m", title: "Rate", description: "By area", frame: frame,
            areas: [
                .init(path: frame.path(square), fill: AreaMap.withheld, label: "North: withheld"),
                .init(path: frame.path(square), fill: "#bdd7e7", label: "South: 12"),
            ],
            legend: [.init(fill: "#bdd7e7", range: "0 – 12"), .init(fill: AreaMap.withheld, range: "withheld")])
        let reader = try #require(Reader.read(map.figure))
        #expect(reader.texts.contains("North: withheld") && reader.texts.contains("South: 12"))
        #expect(map.figure.components(separatedBy: "<li>").count == 3)
        #expect(map.figure.contains("<pattern id=\"withheld-hatch\""))
    }
}
