import Foundation
import Bench

var options = Bench.Options()
options.smoke = CommandLine.arguments.contains("--smoke")
let rows = try Bench.run(options)
print(Report.table(rows), terminator: "")
