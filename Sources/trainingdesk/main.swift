import Foundation
import Terminal

TerminalText.prepareLocale()
let status = await CLI().run(Array(CommandLine.arguments.dropFirst()))
exit(status)
