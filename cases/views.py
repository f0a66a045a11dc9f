from django.shortcuts import render

from .models import Case


def case_list(request):
    cases = Case.objects.visible_to(request.user).select_related("court").order_by("title")
    return render(request, "cases/case_list.html", {"cases": cases})
