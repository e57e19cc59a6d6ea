from stripe_perm_lint.cli import main

main()
