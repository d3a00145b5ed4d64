// `veritas plans add|list`.
import ArgumentParser
import Foundation
import VeritasCore

extension BillingPeriod: ExpressibleByArgument {}

struct PlansCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plans", abstract: "Manage plans.", subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a plan.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Plan id: lowercase letters, digits, hyphens.") var id: String
        @Option(help: "Name shown to viewers.") var name: String
        @Option(help: "Price, e.g. 9.99.") var price: String
        @Option(help: "ISO 4217 currency.") var currency = "USD"
        @Option(help: "month or year.") var period: BillingPeriod = .month

        func run() throws {
            let plan = try global.installation().billing.addPlan(id: id, name: name, price: price, currency: currency, period: period)
            print("Added plan \(plan.id): \(plan.name), \(plan.price) \(plan.currency) per \(plan.period.rawValue).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List plans.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        struct Row: Encodable {
            let id, name, price, currency, period: String
        }

        func run() throws {
            let rows = try global.installation().billing.plans().map {
                Row(id: $0.id, name: $0.name, price: $0.price, currency: $0.currency, period: $0.period.rawValue)
            }
            try ListOutput(
                columns: [("id", { $0.id }), ("name", { $0.name }), ("price", { $0.price }), ("currency", { $0.currency }), ("period", { $0.period })],
                rows: rows
            ).print(json: output.json)
        }
    }
}
