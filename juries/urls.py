app_name = "juries"

urlpatterns = []
