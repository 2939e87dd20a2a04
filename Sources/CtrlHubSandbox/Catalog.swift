/// The fixed, hand-written part of the seeded data: who works here, which standards exist,
/// who runs the courses. Everything random is in `Seed.swift`.
enum Catalog {
    static let organisationName = "Kestrel Utility Services Ltd"
    static let organisationSlug = "kestrel-utility-services"

    /// Has far more completions than anyone else, so a client has to page.
    static let busiestEmail = "dylan.pritchard@kestrel-utilities.test"

    struct Person {
        let first: String
        let last: String
        let email: String
        let occupation: String
        var timezone = "Europe/London"
        /// Set for the sign-in accounts, whose ids must not depend on the seed.
        var id: String?
    }

    static let people: [Person] = [
        Person(first: "Helen", last: "Marsh", email: SandboxServer.admin.email,
               occupation: "Training Administrator", id: SandboxServer.admin.userID),
        Person(first: "Gareth", last: "Pryce", email: SandboxServer.viewer.email,
               occupation: "Contracts Manager", id: SandboxServer.viewer.userID),
        Person(first: "Dylan", last: "Pritchard", email: busiestEmail, occupation: "Multi-skilled Utility Operative"),
        // Composed and decomposed (NFD) accents on purpose: search must treat them alike.
        Person(first: "Seán", last: "Murphy", email: "sean.murphy@kestrel-utilities.test",
               occupation: "Gas Network Operative"),
        Person(first: "Sea\u{301}n", last: "Gallagher", email: "sean.gallagher@kestrel-utilities.test",
               occupation: "Water Mains Layer"),
        Person(first: "Zoe\u{308}", last: "Clarke", email: "zoe.clarke@kestrel-utilities.test",
               occupation: "Site Supervisor"),
        Person(first: "José", last: "Ferreira", email: "jose.ferreira@kestrel-utilities.test",
               occupation: "Plant Operator"),
        Person(first: "Łukasz", last: "Nowak", email: "lukasz.nowak@kestrel-utilities.test", occupation: "Groundworker"),
        Person(first: "Ciarán", last: "O'Brien", email: "ciaran.obrien@kestrel-utilities.test",
               occupation: "Cable Jointer"),
        Person(first: "Niamh", last: "D'Arcy", email: "niamh.darcy@kestrel-utilities.test",
               occupation: "Health and Safety Advisor"),
        Person(first: "芳", last: "王", email: "fang.wang@kestrel-utilities.test", occupation: "Design Engineer"),
        Person(first: "健", last: "佐藤", email: "ken.sato@kestrel-utilities.test", occupation: "Project Engineer",
               timezone: "UTC"),
        Person(first: "Olivia", last: "Harrington-Smythe", email: "olivia.harrington-smythe@kestrel-utilities.test",
               occupation: "Project Manager"),
        Person(first: "Aoife", last: "Ní Bhriain", email: "aoife.nibhriain@kestrel-utilities.test",
               occupation: "Traffic Management Operative"),
        Person(first: "Björn", last: "Sørensen", email: "bjorn.sorensen@kestrel-utilities.test",
               occupation: "Directional Drilling Operator"),
        Person(first: "Anai\u{308}s", last: "Dubois", email: "anais.dubois@kestrel-utilities.test",
               occupation: "Environmental Advisor"),
        Person(first: "Chidi", last: "Okonkwo", email: "chidi.okonkwo@kestrel-utilities.test", occupation: "Civils Foreman"),
        Person(first: "Krzysztof", last: "Wiśniewski", email: "krzysztof.wisniewski@kestrel-utilities.test",
               occupation: "Excavator Operator"),
        Person(first: "Mohammed", last: "Al-Rashid", email: "mohammed.al-rashid@kestrel-utilities.test",
               occupation: "Overhead Linesman"),
        Person(first: "Siobha\u{301}n", last: "Kavanagh", email: "siobhan.kavanagh@kestrel-utilities.test",
               occupation: "Reinstatement Operative"),
        Person(first: "Rhys", last: "ap Gwilym", email: "rhys.apgwilym@kestrel-utilities.test",
               occupation: "Streetworks Supervisor"),
        Person(first: "Priya", last: "Raman", email: "priya.raman@kestrel-utilities.test",
               occupation: "Water Network Technician"),
        Person(first: "Tomasz", last: "Kowalczyk", email: "tomasz.kowalczyk@kestrel-utilities.test",
               occupation: "Pipe Layer"),
        Person(first: "Grace", last: "Thompson", email: "grace.thompson@kestrel-utilities.test",
               occupation: "Quantity Surveyor"),
        Person(first: "Jamie", last: "McAllister", email: "jamie.mcallister@kestrel-utilities.test",
               occupation: "Banksman"),
        Person(first: "Liam", last: "O'Connor", email: "liam.oconnor@kestrel-utilities.test", occupation: "Labourer"),
        Person(first: "Emily", last: "Clarke", email: "emily.clarke@kestrel-utilities.test", occupation: "Site Engineer"),
        Person(first: "Hannah", last: "Wright", email: "hannah.wright@kestrel-utilities.test", occupation: "CAD Technician"),
        Person(first: "Kwame", last: "Mensah", email: "kwame.mensah@kestrel-utilities.test", occupation: "Gas Fitter"),
        Person(first: "Sophie", last: "Whitfield-Jones", email: "sophie.whitfield-jones@kestrel-utilities.test",
               occupation: "SHEQ Manager"),
        Person(first: "Darren", last: "Cole", email: "darren.cole@kestrel-utilities.test", occupation: "HGV Driver"),
        Person(first: "Matthew", last: "Hughes", email: "matthew.hughes@kestrel-utilities.test",
               occupation: "Mobile Plant Fitter"),
        Person(first: "Ioana", last: "Popescu", email: "ioana.popescu@kestrel-utilities.test",
               occupation: "Planning Engineer", timezone: "UTC"),
        Person(first: "Connor", last: "Fitzgerald", email: "connor.fitzgerald@kestrel-utilities.test",
               occupation: "Meter Installer"),
        Person(first: "Amélie", last: "Martin", email: "amelie.martin@kestrel-utilities.test",
               occupation: "Ecologist"),
        Person(first: "Callum", last: "Reid", email: "callum.reid@kestrel-utilities.test", occupation: "Site Agent"),
        Person(first: "Nathan", last: "Brooks", email: "nathan.brooks@kestrel-utilities.test",
               occupation: "Telemetry Engineer", timezone: "America/New_York"),
        Person(first: "Ruby", last: "Fenwick", email: "ruby.fenwick@kestrel-utilities.test",
               occupation: "Commissioning Engineer", timezone: "Pacific/Auckland"),
        Person(first: "Owen", last: "Price", email: "owen.price@kestrel-utilities.test", occupation: "Leak Detection Technician"),
        Person(first: "Stacey", last: "Dunn", email: "stacey.dunn@kestrel-utilities.test", occupation: "Welfare Officer"),
        Person(first: "Marek", last: "Dvořák", email: "marek.dvorak@kestrel-utilities.test", occupation: "Steel Fixer"),
        // Last and with fixed ids, so that the generated data before them stays as it was.
        Person(first: "Hostile\u{1B}]52;c;ZXZpbA==\u{7}", last: "\u{202E}Payload\u{1B}[2J", email: hostileEmail,
               occupation: "Payload\u{9B}31mTester", id: "b0a7d1e5-7e57-4a11-9b1d-1e57ed000001"),
        Person(first: "Wide 美咲", last: "Te\u{301}xt 👩🏽‍🔧", email: wideEmail, occupation: "Ｆｕｌｌｗｉｄｔｈ Operative",
               id: "b0a7d1e5-7e57-4a11-9b1d-1e57ed000002"),
    ]

    /// Their names and records carry every kind of text that could drive a terminal: CSI, OSC 52
    /// and OSC 8, DCS, APC, bare ESC, C0, UTF-8-encoded C1 and DEL, bidi overrides and isolates,
    /// sequences cut off at the end. The email is plain, so a search for "hostile" finds them.
    static let hostileEmail = "hostile.payload@kestrel-utilities.test"
    /// Their names and records are wide, combining and emoji text: CJK, fullwidth, composed and
    /// decomposed accents, ZWJ sequences, skin tones, flags.
    static let wideEmail = "wide.text@kestrel-utilities.test"

    /// Served only in the hostile person's records, never drawn for anyone else.
    static let hostileStandard = Standard(title: "Hostile\u{1B}[1;31m standard\u{1B}]0;pwned\u{7}", code: "HOSTILE",
                                          renewal: 36, provenance: "Ctrl Hub", body: "\u{1B}[5mBlink")
    static let hostileStandardID = "b0a7d1e5-7e57-4a11-9b1d-1e57ed000003"

    /// A hand-written record: the standard by its place in `standards`, nil for `hostileStandard`.
    struct Record {
        let standard: Int?
        let certificate: String
        let provider: String
    }

    /// The hand-written records of the people who get no random ones, by email.
    static let records: [String: [Record]] = [
        hostileEmail: [
            Record(standard: 0, certificate: "CSI\u{1B}[2J\u{1B}[31mRED", provider: "OSC52\u{1B}]52;c;ZXZpbA==\u{7}Clip"),
            Record(standard: 6, certificate: "DSR\u{1B}[6nAsk",
                   provider: "OSC8\u{1B}]8;;http://evil.test/\u{1B}\\Link\u{1B}]8;;\u{1B}\\End"),
            Record(standard: 9, certificate: "DCS\u{1B}Pq#0;2;0;0;0#0~~\u{1B}\\Six", provider: "APC\u{1B}_Gf=100;AAAA\u{1B}\\Kitty"),
            Record(standard: 11, certificate: "C1\u{9B}2J\u{9D}0;t\u{9C}x\u{85}", provider: "C0\u{0}\u{7}\u{8}\r\n\t\u{7F}Ctl\u{1B}"),
            Record(standard: nil, certificate: "Bidi\u{202E}exe.txt\u{202C}",
                   provider: "Iso\u{2066}\u{2067}\u{2068}R\u{2069}\u{202A}\u{202B}\u{202D}L"),
            Record(standard: 25, certificate: "Cut\u{1B}]0;title never ends", provider: "Bare\u{1B}c\u{1B}(0Reset"),
        ],
        wideEmail: [
            Record(standard: 1, certificate: "証明書-１２３", provider: "東京安全研修センター株式会社"),
            Record(standard: 7, certificate: "É-E\u{301}-é-e\u{301}", provider: "Ｆｕｌｌｗｉｄｔｈ Training Ltd"),
            Record(standard: 12, certificate: "👷🏽‍♀️-🇬🇧-❤️",
                   provider: "Cafe\u{301} Crew 👩‍🔧 & Sons 🏴\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}"),
        ],
    ]

    struct Standard {
        let title: String
        let code: String
        let renewal: Int?
        let provenance: String
        let body: String
    }

    static let standards: [Standard] = [
        Standard(title: "Site Management Safety Training Scheme (SMSTS)", code: "SMSTS", renewal: 60,
                 provenance: "CITB", body: "CITB"),
        Standard(title: "SMSTS Refresher", code: "SMSTS-R", renewal: 60, provenance: "CITB", body: "CITB"),
        Standard(title: "Site Supervisor Safety Training Scheme (SSSTS)", code: "SSSTS", renewal: 60,
                 provenance: "CITB", body: "CITB"),
        Standard(title: "CSCS Health, Safety and Environment Test", code: "HSE-TEST", renewal: 24,
                 provenance: "CITB", body: "CITB"),
        Standard(title: "Temporary Works Coordinator", code: "TWC", renewal: 60, provenance: "CITB", body: "CITB"),
        Standard(title: "Site Environmental Awareness Training Scheme (SEATS)", code: "SEATS", renewal: 60,
                 provenance: "CITB", body: "CITB"),
        Standard(title: "First Aid at Work", code: "FAW", renewal: 36, provenance: "Ctrl Hub", body: "HSE"),
        Standard(title: "Emergency First Aid at Work", code: "EFAW", renewal: 36, provenance: "Ctrl Hub", body: "HSE"),
        Standard(title: "Asbestos Awareness (Category A)", code: "ASB-A", renewal: 12, provenance: "Ctrl Hub",
                 body: "UKATA"),
        Standard(title: "PASMA Towers for Users", code: "PASMA-TFU", renewal: 60, provenance: "Ctrl Hub",
                 body: "PASMA"),
        Standard(title: "IPAF Mobile Elevating Work Platform Operator (3a/3b)", code: "IPAF-3A3B", renewal: 60,
                 provenance: "Ctrl Hub", body: "IPAF"),
        Standard(title: "NRSWA Unit 001 Location and Avoidance of Underground Apparatus", code: "NRSWA-001",
                 renewal: 60, provenance: "EUSR", body: "SQA"),
        Standard(title: "NRSWA Unit 002 Signing, Lighting and Guarding", code: "NRSWA-002", renewal: 60,
                 provenance: "EUSR", body: "SQA"),
        Standard(title: "NRSWA Unit 003 Excavation in the Highway", code: "NRSWA-003", renewal: 60,
                 provenance: "EUSR", body: "SQA"),
        Standard(title: "NRSWA Unit 004 Reinstatement and Compaction of Backfill Materials", code: "NRSWA-004",
                 renewal: 60, provenance: "EUSR", body: "SQA"),
        Standard(title: "NRSWA Unit 005 Reinstatement of Sub-base and Roadbase in Non-bituminous Materials",
                 code: "NRSWA-005", renewal: 60, provenance: "EUSR", body: "SQA"),
        Standard(title: "NRSWA Unit 010 Monitoring Signing, Lighting and Guarding (Supervisor)", code: "NRSWA-010",
                 renewal: 60, provenance: "EUSR", body: "SQA"),
        Standard(title: "EUSR SHEA Water", code: "SHEA-W", renewal: 36, provenance: "EUSR", body: "EUSR"),
        Standard(title: "EUSR SHEA Gas", code: "SHEA-G", renewal: 36, provenance: "EUSR", body: "EUSR"),
        Standard(title: "EUSR SHEA Power", code: "SHEA-P", renewal: 36, provenance: "EUSR", body: "EUSR"),
        Standard(title: "National Water Hygiene", code: "NWH", renewal: 36, provenance: "EUSR", body: "EUSR"),
        Standard(title: "Confined Spaces – Medium Risk (City & Guilds 6150-02)", code: "CG-6150-02", renewal: 36,
                 provenance: "Ctrl Hub", body: "City & Guilds"),
        Standard(title: "CAT & Genny (Cable Avoidance Tool and Signal Generator)", code: "CAT-GENNY", renewal: 36,
                 provenance: "EUSR", body: "EUSR"),
        Standard(title: "Fire Marshal", code: "FIRE-M", renewal: 36, provenance: "Ctrl Hub", body: "City & Guilds"),
        Standard(title: "Mental Health First Aid", code: "MHFA", renewal: 36, provenance: "Ctrl Hub",
                 body: "MHFA England"),
        Standard(title: "Manual Handling", code: "MAN-H", renewal: nil, provenance: "Ctrl Hub", body: "HSE"),
        Standard(title: "Abrasive Wheels", code: "ABR-W", renewal: nil, provenance: "Ctrl Hub", body: "HSE"),
        Standard(title: "Working at Height Awareness", code: "WAH", renewal: nil, provenance: "Ctrl Hub", body: "HSE"),
    ]

    /// A few names run past 60 characters so a client has to truncate or wrap them.
    static let providers = [
        "CITB National Construction College",
        "St John Ambulance",
        "British Red Cross Training",
        "Lantra Awards",
        "Tower Training Ltd",
        "MEWP Access Training Services",
        "Safe Excavation & Underground Services Detection Ltd",
        "Kestrel Utility Services In-House Training Academy",
        "Northern Counties Construction Skills and Utilities Training Partnership Limited (Leeds Centre)",
        "The Severn Valley Streetworks, Excavation Safety and Reinstatement Training Centre of Excellence, Worcester",
        "Highways & Utilities Skills Academy (Midlands) – Approved EUSR, SQA and City & Guilds Assessment Centre",
        "Water Industry Safety and Hygiene Training Services (East Anglia Region, Colchester Depot)",
    ]
}
