"""How the project works with people: onboarding, tools, discussions, learning resources, citations."""
