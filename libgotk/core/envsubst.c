/* filled in by the core work; placeholder so the tree builds */
