/// A map of areas shaded by a figure (a choropleth), optionally with a grid of counted cells and marked
/// sites, and its legend. Each area and cell is named with its figure in words, withheld areas are hatched,
/// and the legend is a list, so nothing is told by colour alone. Drawn here for every page that shows a map.
public struct AreaMap: Sendable, Equatable {
    public struct Area: Sendable, Equatable {
        /// SVG path data, from `MapFrame.path`.
        public let path: String
        public let fill: String
        public let label: String
        public init(path: String, fill: String, label: String) {
            self.path = path
            self.fill = fill
            self.label = label
        }
    }
    public struct Cell: Sendable, Equatable {
        public let x: Double
        public let y: Double
        public let width: Double
        public let height: Double
        public let fill: String
        public let label: String
        public init(x: Double, y: Double, width: Double, height: Double, fill: String, label: String) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
            self.fill = fill
            self.label = label
        }
    }
    public struct Site: Sendable, Equatable {
        public let x: Double
        public let y: Double
        public let label: String
        public init(x: Double, y: Double, label: String) {
            self.x = x
            self.y = y
            self.label = label
        }
    }
    public struct Key: Sendable, Equatable {
        public let fill: String
        public let range: String
        public init(fill: String, range: String) {
            self.fill = fill
            self.range = range
        }
    }

    /// The fill of a withheld area.
    public static let withheld = "url(#withheld-hatch)"

    public let id: String
    public let title: String
    public let description: String
    public let frame: MapFrame
    public let areas: [Area]
    public let cells: [Cell]
    public let sites: [Site]
    public let legend: [Key]

    public init(
        id: String, title: String, description: String, frame: MapFrame, areas: [Area], cells: [Cell] = [],
        sites: [Site] = [], legend: [Key]
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.frame = frame
        self.areas = areas
        self.cells = cells
        self.sites = sites
        self.legend = legend
    }

    /// The map and its legend in a `<figure>`.
    public var figure: String {
        var body = SVG.hatch(id: "withheld-hatch")
        for area in areas {
            body += SVG.element(
                "path",
                [
                    "d": area.path, "fill": area.fill, "fill-rule": "evenodd", "stroke": "#1b1b1b",
                    "stroke-width": "0.6",
                ], SVG.text("title", [:], area.label))
        }
        for cell in cells {
            body += SVG.element(
                "rect",
                [
                    "x": SVG.number(cell.x), "y": SVG.number(cell.y), "width": SVG.number(cell.width),
                    "height": SVG.number(cell.height), "fill": cell.fill, "stroke": "#4a4a4a", "stroke-width": "0.3",
                ], SVG.text("title", [:], cell.label))
        }
        for site in sites {
            let (x, y) = (SVG.number(site.x), SVG.number(site.y))
            let mark = SVG.element(
                "circle", ["cx": x, "cy": y, "r": "7", "fill": "#ffbf47", "stroke": "#1b1b1b", "stroke-width": "2"])
            let name = SVG.text("text", ["x": x, "y": y, "dx": "10", "dy": "4", "font-size": "14"], site.label)
            body += SVG.element("g", [:], mark + name)
        }
        let picture = SVG.picture(
            id: id, width: frame.width, height: frame.height.rounded(.up), title: title, description: description,
            body)
        var keys = ""
        for key in legend {
            let swatch = SVG.element(
                "svg", ["width": "16", "height": "16", "aria-hidden": "true"],
                SVG.element("rect", ["width": "16", "height": "16", "fill": key.fill, "stroke": "#1b1b1b"]))
            keys += "<li>" + swatch + " " + Markup.escaped(key.range) + "</li>"
        }
        return "<figure class=\"map\">" + picture + "<figcaption><ul class=\"legend\">" + keys
            + "</ul></figcaption></figure>"
    }
}
