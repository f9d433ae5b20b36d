// A script's command-line arguments are `args`:  scripts/drydock examples/args.groovy a b  prints  args == [a, b]
println "args == $args"
